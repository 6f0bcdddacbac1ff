using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

public sealed class MessagePackNumberFidelityTests
{
    // Regression: integers read back from MessagePack were long-backed and refused GetValue<int>().
    [Fact]
    public void Deserialize_Integer_ReadsAsAnyNumericTypeLikeParsedJson()
    {
        var item = new ScriptResultItem(0, ScriptOutcome.Ok(0, JsonNode.Parse("""{"n":7,"d":2.5}""")));
        var back = Assert.IsType<ScriptResultItem>(ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item)));
        Assert.Equal(7, back.Outcome.Value!["n"]!.GetValue<int>());
        Assert.Equal(7L, back.Outcome.Value!["n"]!.GetValue<long>());
        Assert.Equal(2.5, back.Outcome.Value!["d"]!.GetValue<double>());
    }
}
