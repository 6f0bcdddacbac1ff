using System.Text.Json.Nodes;
using MessagePack;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

// calls, partialResults, partialResultsTruncated and droppedProgress, against the JSON form.
public sealed partial class ResponseItemMessagePackTests
{
    public static TheoryData<string, string> MalformedCallLines => CallLines.Malformed;

    [Fact]
    public void Serialize_TruncatedPartialResults_IsTheJsonLineAsAMap()
    {
        // 70,002 + 66,002 bytes (U+0001 is written \u0001) is over the bound. Both forms carry the same entries: the
        // bound is measured once, on the JSON text.
        var item = SampleItems.FailedAfter(new string('x', 70_000), new string('\u0001', 11_000), "small");

        JsonNode? asMap = MessagePackBytes.ToJson(ResponseItemMessagePack.Serialize(item));

        ResponseItemAssert.JsonEqual(JsonNode.Parse(ResponseItemJson.ToJsonLine(item)), asMap);
        Assert.True(asMap!["partialResultsTruncated"]!.GetValue<bool>());
    }

    [Fact]
    public void Deserialize_MapWithoutCalls_ReadsNoCalls()
    {
        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(CallLines.WithoutCalls));

        Assert.Empty(read.Outcome.Calls);
        Assert.Equal(0, read.Outcome.DroppedProgress);
    }

    [Fact]
    public void Deserialize_PartialResultAtDepthLimit_RoundTrips()
    {
        JsonNode deepest = SampleItems.NestedArrays(61);

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(SampleItems.FailedAfter(deepest)));

        ResponseItemAssert.JsonEqual(deepest, read.Outcome.Calls.Single().Result);
    }

    [Fact]
    public void Deserialize_PartialResultNestedOnePastTheLimit_ThrowsFormatException()
    {
        byte[] bytes = Item(2, (ref MessagePackWriter w) =>
        {
            w.Write("calls");
            JsonNodeMessagePack.Write(ref w, JsonNode.Parse("""[{"id":"a","tool":"t","status":"ok","ms":1}]"""));
            w.Write("partialResults");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(3);
            w.Write("id");
            w.Write("a");
            w.Write("tool");
            w.Write("t");
            w.Write("result");
            for (int i = 0; i < 62; i++)
            {
                w.WriteArrayHeader(1);
            }

            w.WriteNil();
        });

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));
        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedCallLines))]
    public void Deserialize_CallsBreakingTheContract_ThrowFormatException(string why, string extra)
    {
        byte[] bytes = MessagePackBytes.FromJson(CallLines.With(extra));

        var error = Record.Exception(() => ResponseItemMessagePack.Deserialize(bytes));

        Assert.True(error is FormatException, $"{why}: {error?.GetType().Name ?? "no exception"}");
    }
}
