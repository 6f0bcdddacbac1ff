using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The envelope a tool call settles with inside an engine (V8's, a public type of the kit): the value whole and exactly,
/// every failure as a typed envelope, the depth boundary of a node's own <c>ToJsonString</c>, and nothing of one call in
/// the next.
/// </summary>
public sealed class ToolEnvelopeTests
{
    public static TheoryData<string> Values => new()
    {
        "null", "true", "0", "-1.5e300", "\"text\"", "[]", "{}", """{"a":[1,{"b":"c"}],"d":null}""",
        """{"html":"<a href='x'>&amp;</a>","emoji":"😀","accents":"é\u0000\t"}""",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Success_CarriesTheValueExactly(string json)
    {
        var value = JsonNode.Parse(json);

        var envelope = JsonNode.Parse(ToolEnvelope.From(ToolResult.Success(value)))!.AsObject();

        Assert.Equal(2, envelope.Count);
        Assert.True(envelope["ok"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(value, envelope["value"]), envelope.ToJsonString());
    }

    [Fact]
    public void NoValue_IsNull()
    {
        Assert.Equal("""{"ok":true,"value":null}""", ToolEnvelope.From(ToolResult.Success(null)));
    }

    [Fact]
    public void Failure_CarriesItsCodeAndMessage()
    {
        var envelope = JsonNode.Parse(ToolEnvelope.From(ToolResult.Failure(ScriptErrorCode.ToolNotFound, "no tool \"x\"")))!.AsObject();

        Assert.False(envelope["ok"]!.GetValue<bool>());
        Assert.Equal("tool_not_found", envelope["code"]!.GetValue<string>());
        Assert.Equal("no tool \"x\"", envelope["message"]!.GetValue<string>());
    }

    [Fact]
    public void LargeValues_OneAfterAnother_EachWhole()
    {
        // A short value after a long one carries nothing of it, and the same value gives the same text.
        var large = new JsonObject { ["text"] = new string('x', 200_000) };
        var small = new JsonObject { ["i"] = 1 };

        var first = ToolEnvelope.From(ToolResult.Success(large));
        var second = ToolEnvelope.From(ToolResult.Success(small));
        var third = ToolEnvelope.From(ToolResult.Success(large));

        Assert.Equal(200_000, JsonNode.Parse(first)!["value"]!["text"]!.GetValue<string>().Length);
        Assert.Equal("""{"ok":true,"value":{"i":1}}""", second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void AThousandLevels_Pass_OneMore_IsUnrepresentable()
    {
        // As deep as the node's own ToJsonString writes it: the envelope's level does not count. The text is read back
        // with room for the levels and the envelope's.
        var options = new JsonDocumentOptions { MaxDepth = 1001 };
        var deep = JsonNode.Parse(ToolEnvelope.From(ToolResult.Success(Nested(1000))), documentOptions: options)!;
        Assert.True(deep["ok"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(Nested(1000), deep["value"]));

        var envelope = JsonNode.Parse(ToolEnvelope.From(ToolResult.Success(Nested(1001))))!.AsObject();

        Assert.False(envelope["ok"]!.GetValue<bool>());
        Assert.Equal(ToolEnvelope.Unrepresentable.WireCode, envelope["code"]!.GetValue<string>());
    }

    [Fact]
    public void ALoneSurrogate_ArrivesAsTheReplacementCharacter()
    {
        var value = new JsonObject { ["s"] = "a\uD800b", ["\uDC00"] = 1 };

        var envelope = JsonNode.Parse(ToolEnvelope.From(ToolResult.Success(value)))!;

        Assert.Equal("a\uFFFDb", envelope["value"]!["s"]!.GetValue<string>());
        Assert.Equal(1, envelope["value"]!["\uFFFD"]!.GetValue<int>());
    }

    [Fact]
    public void AClrValueWithoutAConverter_IsUnrepresentable()
    {
        var value = new JsonObject { ["x"] = JsonValue.Create(new Unserializable()) };

        var envelope = JsonNode.Parse(ToolEnvelope.From(ToolResult.Success(value)))!;

        Assert.False(envelope["ok"]!.GetValue<bool>());
        Assert.Equal(ToolEnvelope.Unrepresentable.Message, envelope["message"]!.GetValue<string>());

        // The failure leaves nothing behind for the next call.
        Assert.Equal("""{"ok":true,"value":[1]}""", ToolEnvelope.From(ToolResult.Success(new JsonArray(1))));
    }

    private static JsonNode Nested(int levels)
    {
        JsonNode node = new JsonArray();
        for (var i = 1; i < levels; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }

    private sealed class Unserializable
    {
        // A delegate: System.Text.Json refuses to serialize it.
        public Action Callback { get; } = () => { };
    }
}
