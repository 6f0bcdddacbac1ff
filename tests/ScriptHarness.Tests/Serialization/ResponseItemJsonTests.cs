using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

public sealed partial class ResponseItemJsonTests
{
    private const string TextGolden = """{"type":"text","index":0,"text":"Reading the files now: héllo 日本"}""";

    private const string OkGolden =
        """{"type":"script_result","index":1,"status":"ok","value":{"count":2,"files":["a.txt","b.txt"],"meta":{"deep":[1,2.5,null,true],"empty":{}}},"error":null,"toolCalls":3,"durationMs":12.4,"logs":[{"level":"log","message":"read 2 files"},{"level":"warn","message":"slow disk"}],"warnings":[{"code":"detached_promise","message":"1 tool call was still running"}],"calls":[],"droppedLogs":2,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""";

    private const string ErrorGolden =
        """{"type":"script_result","index":2,"status":"error","value":null,"error":{"code":"timeout","message":"Script ran longer than 30000 ms.","retryable":true,"line":3,"column":7,"stack":"at main (3:7)"},"toolCalls":0,"durationMs":30001,"logs":[{"level":"error","message":"giving up"}],"warnings":[],"calls":[]}""";

    private const string SkippedGolden =
        """{"type":"script_result","index":3,"status":"skipped","value":null,"error":null,"toolCalls":0,"durationMs":0,"logs":[],"warnings":[],"calls":[]}""";

    // A minimal valid script line that the malformed cases below each break in one way.
    private const string MinimalScript =
        """{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""";

    public static TheoryData<string> SampleNames => new(SampleItems.Names);

    public static TheoryData<ScriptErrorCode> AllCodes => new(Enum.GetValues<ScriptErrorCode>());

    [Theory]
    [InlineData("text", TextGolden)]
    [InlineData("ok", OkGolden)]
    [InlineData("error", ErrorGolden)]
    [InlineData("skipped", SkippedGolden)]
    [InlineData("calls", CallsGolden)]
    [InlineData("partial", PartialGolden)]
    public void ToJsonLine_Sample_WritesGoldenLine(string sample, string golden)
    {
        Assert.Equal(golden, ResponseItemJson.ToJsonLine(SampleItems.Get(sample)));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Parse_LineOfSample_RoundTripsEveryField(string sample)
    {
        ResponseItem item = SampleItems.Get(sample);

        ResponseItem parsed = ResponseItemJson.Parse(ResponseItemJson.ToJsonLine(item));

        ResponseItemAssert.Equivalent(item, parsed);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void ToJsonLine_AnySample_IsOneLineWithoutTrailingNewline(string sample)
    {
        string line = ResponseItemJson.ToJsonLine(SampleItems.Get(sample));

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
    }

    [Theory]
    [InlineData(123_456_789L, "12345.679", 123_456_790L)]
    [InlineData(5L, "0.001", 10L)]
    [InlineData(4L, "0", 0L)]
    [InlineData(10_000L, "1", 10_000L)]
    public void ToJsonLine_Duration_HasAtMostThreeDecimalsAndReadsBackRounded(long ticks, string expectedMs, long ticksAfterRoundTrip)
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with { Duration = TimeSpan.FromTicks(ticks) });

        string line = ResponseItemJson.ToJsonLine(item);

        Assert.Contains($"\"durationMs\":{expectedMs},", line, StringComparison.Ordinal);
        var parsed = (ScriptResultItem)ResponseItemJson.Parse(line);
        Assert.Equal(TimeSpan.FromTicks(ticksAfterRoundTrip), parsed.Outcome.Duration);
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void ToJsonLine_EveryErrorCode_WritesTheScriptErrorCodesWireCodeAndReadsItBack(ScriptErrorCode code)
    {
        var item = new ScriptResultItem(4, ScriptOutcome.Failed(4, new ScriptError(code, "m")));

        string line = ResponseItemJson.ToJsonLine(item);

        string retryable = code.IsRetryable() ? "true" : "false";
        Assert.Contains($"\"error\":{{\"code\":\"{code.ToCode()}\",\"message\":\"m\",\"retryable\":{retryable}}}", line, StringComparison.Ordinal);
        Assert.Contains(code.ToCode(), ScriptErrorCodes.All);
        Assert.Equal(code, ((ScriptResultItem)ResponseItemJson.Parse(line)).Outcome.Error!.Code);
    }

    [Theory]
    [InlineData(LogLevel.Information, "log")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "error")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Trace, "debug")]
    public void ToJsonLine_LogLevel_WritesDocumentedName(LogLevel level, string name)
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with { Logs = [new LogEntry(level, "m")] });

        Assert.Contains($"\"logs\":[{{\"level\":\"{name}\",\"message\":\"m\"}}]", ResponseItemJson.ToJsonLine(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InfoLevel_ReadsAsInformation()
    {
        string line = MinimalScript.Replace("\"logs\":[]", "\"logs\":[{\"level\":\"info\",\"message\":\"m\"}]", StringComparison.Ordinal);

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(line);

        Assert.Equal([new LogEntry(LogLevel.Information, "m")], parsed.Outcome.Logs);
    }

    // Issue 16.5: backticks and quotes came out as \u0060 and \u0027 on every line, costing a model tokens.
    [Fact]
    public void ToJsonLine_Text_WritesBackticksQuotesAndHtmlCharactersAsTheyAre()
    {
        string line = ResponseItemJson.ToJsonLine(new TextItem(0, "ñ 日本 `code` <b>&'\" \\ 😀"));

        Assert.Equal("""{"type":"text","index":0,"text":"ñ 日本 `code` <b>&'\" \\ \uD83D\uDE00"}""", line);
        Assert.Equal("ñ 日本 `code` <b>&'\" \\ 😀", ((TextItem)ResponseItemJson.Parse(line)).Text);
    }

    [Fact]
    public void ToJsonLine_ScriptResult_WritesBackticksAndQuotesInValuesMessagesAndLogsAsTheyAre()
    {
        var outcome = ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.ToolNotFound, "tool 'files.raed' does not exist; did you mean `files.read`?")) with
        {
            Logs = [new LogEntry(LogLevel.Information, "it's `x`")],
        };

        string line = ResponseItemJson.ToJsonLine(new ScriptResultItem(1, outcome));

        Assert.Contains("\"message\":\"tool 'files.raed' does not exist; did you mean `files.read`?\"", line, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"it's `x`\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonLine_ControlCharacters_AreStillEscaped()
    {
        string line = ResponseItemJson.ToJsonLine(new TextItem(0, "a\u0001b\u001bc\nd"));

        Assert.Equal("""{"type":"text","index":0,"text":"a\u0001b\u001Bc\nd"}""", line);
    }

    [Fact]
    public void ToJsonLine_ValueWithLargeAndUnusualNumbers_WritesThemVerbatim()
    {
        const string value = """{"big":123456789012345678901234567890,"min":-9223372036854775808,"exp":1.5e300,"frac":0.1,"nested":[[[]],{}]}""";

        string line = ResponseItemJson.ToJsonLine(SampleItems.WithValue(JsonNode.Parse(value)));

        Assert.Contains($"\"value\":{value},", line, StringComparison.Ordinal);
        ResponseItemAssert.JsonEqual(JsonNode.Parse(value), ((ScriptResultItem)ResponseItemJson.Parse(line)).Outcome.Value);
    }

    [Fact]
    public void ToJsonLine_ValueBuiltFromClrValues_WritesJson()
    {
        var value = new JsonObject { ["n"] = 42, ["d"] = 2.5, ["s"] = "x", ["b"] = false, ["none"] = null };

        string line = ResponseItemJson.ToJsonLine(SampleItems.WithValue(value));

        Assert.Contains("""
            "value":{"n":42,"d":2.5,"s":"x","b":false,"none":null},
            """, line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonLine_ValueAtDepthLimit_RoundTrips()
    {
        JsonNode value = SampleItems.NestedArrays(63);

        ResponseItem parsed = ResponseItemJson.Parse(ResponseItemJson.ToJsonLine(SampleItems.WithValue(value)));

        ResponseItemAssert.JsonEqual(value, ((ScriptResultItem)parsed).Outcome.Value);
    }

    [Fact]
    public void ToJsonLine_ValueNestedTooDeep_ThrowsArgumentException()
    {
        var item = SampleItems.WithValue(SampleItems.NestedArrays(64));

        var error = Assert.Throws<ArgumentException>(() => ResponseItemJson.ToJsonLine(item));
        Assert.Equal("item", error.ParamName);
    }

    [Fact]
    public void Parse_UnknownProperties_AreIgnored()
    {
        string line = MinimalScript.Replace("\"toolCalls\":0", "\"toolCalls\":0,\"future\":{\"x\":[1]}", StringComparison.Ordinal);

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(line);

        Assert.Equal(ScriptStatus.Ok, parsed.Outcome.Status);
    }

    [Fact]
    public void Parse_RetryableFlag_IsDerivedFromTheCodeNotTrusted()
    {
        string line = MinimalScript.Replace("\"error\":null", "\"error\":{\"code\":\"timeout\",\"message\":\"m\",\"retryable\":false}", StringComparison.Ordinal);

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(line);

        Assert.True(parsed.Outcome.Error!.Retryable);
        Assert.Null(parsed.Outcome.Error.Line);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("""{"index":0,"text":"x"}""")]
    [InlineData("""{"type":"image","index":0}""")]
    [InlineData("""{"type":"text","index":0}""")]
    [InlineData("""{"type":"text","index":0,"text":null}""")]
    [InlineData("""{"type":"text","index":"0","text":"x"}""")]
    [InlineData("""{"type":"text","index":0,"text":"x"} {}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"done","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"error","value":null,"error":{"code":"kaboom","message":"m"},"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[{"level":"fatal","message":"m"}],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":null,"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[null],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[{"code":"nope","message":"m"}]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1e300,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":{"a":1,"a":2},"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"text","index":0,"index":1,"text":"x"}""")]
    public void Parse_MalformedLine_ThrowsFormatException(string line)
    {
        Assert.Throws<FormatException>(() => ResponseItemJson.Parse(line));
    }

    [Fact]
    public void Parse_ValueNestedTooDeep_ThrowsFormatException()
    {
        string tooDeep = new string('[', 64) + new string(']', 64);
        string line = MinimalScript.Replace("\"value\":null", $"\"value\":{tooDeep}", StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => ResponseItemJson.Parse(line));
    }

    [Fact]
    public async Task WriteJsonLinesAsync_Items_WritesOneLineEachAndFlushesAfterEach()
    {
        ResponseItem[] items = [SampleItems.Text(), SampleItems.Ok(), SampleItems.Error(), SampleItems.Skipped()];
        using var stream = new FlushRecordingStream();

        await ResponseItemJson.WriteJsonLinesAsync(stream, AsyncItems.Of(items));

        string[] expectedLines = [TextGolden, OkGolden, ErrorGolden, SkippedGolden];
        Assert.Equal(string.Concat(expectedLines.Select(l => l + "\n")), Encoding.UTF8.GetString(stream.ToArray()));
        long total = 0;
        Assert.Equal(expectedLines.Select(l => total += Encoding.UTF8.GetByteCount(l) + 1), stream.LengthAtFlush);
    }

    [Fact]
    public async Task WriteJsonLinesAsync_CancelledToken_Throws()
    {
        using var stream = new MemoryStream();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ResponseItemJson.WriteJsonLinesAsync(stream, AsyncItems.Of(SampleItems.Text()), cts.Token));
    }
}
