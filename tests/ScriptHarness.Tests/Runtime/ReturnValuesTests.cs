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

    [Theory]
    [InlineData(64)] // one level more than the wire forms carry: it used to pass here, then fail the serializer
    [InlineData(200)]
    [InlineData(100_000)]
    public void FromJson_DeeperThanTheWireFormsCarry_IsSerializationFailed_SayingSo(int levels)
    {
        var json = new string('[', levels) + new string(']', levels);

        var error = ReturnValues.FromJson(json, ScriptLimits.Default with { MaxReturnValueBytes = 1024 * 1024 }).Error;

        Assert.Equal(ScriptErrorCode.SerializationFailed, error?.Code);
        Assert.Equal("the return value nests deeper than 63 levels of objects and arrays; return a flatter value", error?.Message);
    }

    [Fact]
    public void FromJson_SixtyThreeLevels_IsTheValue()
    {
        // Brackets inside strings are not nesting.
        var json = new string('[', 62) + "{\"k\":\"[[[[\\\"{{\"}" + new string(']', 62);

        var outcome = ReturnValues.FromJson(json, ScriptLimits.Default);

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), outcome.Value), outcome.Value?.ToJsonString());
    }

    [Theory]
    [InlineData("[1,")]
    [InlineData("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",")] // brackets in a string do not nest
    [InlineData("[\"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",")] // nor after an escaped quote
    public void FromJson_InvalidJson_SaysSo(string json)
    {
        var error = ReturnValues.FromJson(json, ScriptLimits.Default).Error;

        Assert.Equal(ScriptErrorCode.SerializationFailed, error?.Code);
        Assert.Equal("the return value is not valid JSON", error?.Message);
    }

    [Theory]
    [InlineData(100, true)] // exactly at the limit: the UTF-8 bytes, not the UTF-16 characters, are counted
    [InlineData(99, false)]
    public void FromJson_AtTheLimit_IsOk_OneByteOver_IsTooLarge(int limit, bool ok)
    {
        var json = "\"" + new string('é', 49) + "\""; // 49 × 2 bytes + 2 quotes = 100 bytes, 51 characters
        var outcome = ReturnValues.FromJson(json, ScriptLimits.Default with { MaxReturnValueBytes = limit });

        Assert.Equal(ok, outcome.IsSuccess);
        if (ok)
        {
            Assert.Equal(new string('é', 49), outcome.Value!.GetValue<string>());
        }
        else
        {
            Assert.Equal(ScriptErrorCode.ReturnValueTooLarge, outcome.Error!.Code);
            Assert.Equal("the return value is 100 bytes; the limit is 99 bytes. Return a summary instead of the whole data.", outcome.Error.Message);
        }
    }

    [Theory]
    [InlineData(1024, 1024)] // a text of the preview's length is shown whole
    [InlineData(1025, 1024)] // one character more: cut at the preview's length, marked with an ellipsis
    [InlineData(5000, 1024)]
    public void FromJson_OverLimit_PreviewIsTheFirstCharactersOfTheText(int length, int shown)
    {
        var json = "[" + new string('1', length - 2) + "]";
        var outcome = ReturnValues.FromJson(json, ScriptLimits.Default with { MaxReturnValueBytes = 10 });

        var preview = outcome.Value!.GetValue<string>();
        var expected = length > 1024 ? json[..shown] + "…" : json;
        Assert.Equal(expected, preview);
    }

    [Theory]
    [InlineData(1023, "1023 bytes")]
    [InlineData(1024, "1 KB")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(1024 * 1024 - 1, "1024 KB")]
    [InlineData(1024 * 1024, "1 MB")]
    [InlineData(3 * 1024 * 1024 + 512 * 1024, "3.5 MB")]
    public void Size_NamesBytesKilobytesAndMegabytes(long bytes, string expected) =>
        Assert.Equal(expected, ReturnValues.Size(bytes));

    [Fact]
    public void FromJson_OverLimit_MessageGivesBothSizesInTheirUnits()
    {
        var json = "\"" + new string('x', 2 * 1024 * 1024) + "\"";
        var outcome = ReturnValues.FromJson(json, ScriptLimits.Default with { MaxReturnValueBytes = 1536 });

        Assert.Equal("the return value is 2 MB; the limit is 1.5 KB. Return a summary instead of the whole data.", outcome.Error!.Message);
    }

    [Fact]
    public void FromJson_LoneSurrogateEscape_IsRepairedToTheReplacementCharacter()
    {
        var outcome = ReturnValues.FromJson("\"a\\ud800b\"", ScriptLimits.Default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal("a\uFFFDb", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public void FromJson_NotJson_IsSerializationFailedWithoutAValue()
    {
        var outcome = ReturnValues.FromJson("{nope", ScriptLimits.Default);

        Assert.Equal(ScriptErrorCode.SerializationFailed, outcome.Error!.Code);
        Assert.Equal("the return value is not valid JSON", outcome.Error.Message);
        Assert.Null(outcome.Value);
    }
}
