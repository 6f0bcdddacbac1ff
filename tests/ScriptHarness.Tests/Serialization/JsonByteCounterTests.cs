using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>The byte count of a value's JSON line form, measured without keeping the bytes.</summary>
public sealed class JsonByteCounterTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("\"é😀\"")]
    [InlineData("""{"a":[1,2,{"b":null}],"c":"<&>"}""")]
    public void Count_IsTheLengthOfTheWireText(string json)
    {
        var node = JsonNode.Parse(json);

        using var written = new MemoryStream();
        using (var writer = new Utf8JsonWriter(written, WireJson.WriterOptions))
        {
            node!.WriteTo(writer);
        }

        Assert.Equal(written.Length, new JsonByteCounter().Count(node));
    }

    [Fact]
    public void Count_OfNoValue_IsThatOfNull()
    {
        Assert.Equal(4, new JsonByteCounter().Count(null));
    }

    [Fact]
    public void Count_OfAValueLargerThanTheScratchBuffer_IsWhole()
    {
        var counter = new JsonByteCounter();
        var large = JsonValue.Create(new string('x', 100_000));

        Assert.Equal(100_002, counter.Count(large));
        Assert.Equal(3, counter.Count(JsonValue.Create(123)));
    }
}
