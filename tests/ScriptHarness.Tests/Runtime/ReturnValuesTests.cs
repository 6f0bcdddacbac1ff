using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class ReturnValuesTests
{
    [Fact]
    public void FromJson_Null_IsOkWithNoValue()
    {
        var outcome = ReturnValues.FromJson(null, ScriptLimits.Default);
        Assert.True(outcome.IsSuccess);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public void FromJson_OverLimit_TypedErrorWithJsonPreview()
    {
        var json = "\"" + new string('é', 200) + "\"";
        var outcome = ReturnValues.FromJson(json, ScriptLimits.Default with { MaxReturnValueBytes = 100 });
        Assert.Equal(ScriptErrorCode.ReturnValueTooLarge, outcome.Error!.Code);
        Assert.NotNull(JsonNode.Parse(outcome.Value!.ToJsonString()));
    }

    [Fact]
    public void FromJson_TooDeep_IsSerializationFailed()
    {
        var json = new string('[', 200) + new string(']', 200);
        Assert.Equal(ScriptErrorCode.SerializationFailed, ReturnValues.FromJson(json, ScriptLimits.Default).Error!.Code);
    }
}
