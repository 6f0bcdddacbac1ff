using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

// calls, partialResults, partialResultsTruncated and droppedProgress.
public sealed partial class ResponseItemJsonTests
{
    private const string CallsGolden =
        """{"type":"script_result","index":6,"status":"ok","value":null,"error":null,"toolCalls":7,"durationMs":260,"logs":[],"warnings":[],"calls":[{"id":"turn-1/s0#1","tool":"files.read","status":"ok","ms":1.234},{"id":"turn-1/s0#2","tool":"files.read","status":"error","ms":0.5,"code":"tool_execution_failed"},{"id":"turn-1/s0#3","tool":"files.write","status":"dry_run","ms":0.012},{"id":"turn-1/s0#4","tool":"test.sleep","status":"cancelled","ms":3,"code":"cancelled"},{"id":"turn-1/s0#5","tool":"test.sleep","status":"detached","ms":250},{"id":"turn-1/s0#6","tool":"test.counter","status":"running","ms":0.001},{"id":"turn-1/s0#7","tool":"mail.send","status":"suspended","ms":0.004}],"droppedProgress":4}""";

    private const string PartialGolden =
        """{"type":"script_result","index":7,"status":"error","value":null,"error":{"code":"timeout","message":"Script ran longer than 100 ms.","retryable":true},"toolCalls":4,"durationMs":100.5,"logs":[],"warnings":[{"code":"detached_promise","message":"1 tool call(s) were still running when the script ended and were cancelled: turn-2/s1#4"}],"calls":[{"id":"turn-2/s1#1","tool":"files.list","status":"ok","ms":2.1},{"id":"turn-2/s1#2","tool":"files.read","status":"ok","ms":0.7},{"id":"turn-2/s1#3","tool":"files.read","status":"error","ms":0.1,"code":"tool_validation_failed"},{"id":"turn-2/s1#4","tool":"files.search","status":"detached","ms":90}],"partialResults":[{"id":"turn-2/s1#1","tool":"files.list","result":["a.txt","b.txt"]},{"id":"turn-2/s1#2","tool":"files.read","result":null}],"sha256":"eb3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b"}""";

    // A JSON string of n characters that need no escape takes n + 2 bytes.
    private const int HalfBoundChars = (WireLimits.MaxPartialResultsBytes / 2) - 2;

    public static TheoryData<string, string> MalformedCallLines => CallLines.Malformed;

    [Fact]
    public void CallsGolden_CoversEveryToolCallStatus()
    {
        Assert.Equal(Enum.GetValues<ToolCallStatus>().Order(), SampleItems.Calls().Outcome.Calls.Select(c => c.Status).Order());
    }

    [Fact]
    public void ToJsonLine_OkScriptWhoseCallSucceeded_WritesNoPartialResults()
    {
        JsonObject line = JsonLine(SampleItems.Calls());

        Assert.False(line.ContainsKey("partialResults"));
        Assert.False(line.ContainsKey("partialResultsTruncated"));
    }

    [Fact]
    public void ToJsonLine_FailedScriptWithoutSucceededCall_WritesCallsButNoPartialResults()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.ToolExecutionFailed, "m")) with
        {
            Calls = [new ToolCallRecord("s#1", "t.x", ToolCallStatus.Failed, TimeSpan.Zero) { Error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "m") }],
        });

        string line = ResponseItemJson.ToJsonLine(item);

        Assert.EndsWith("""
            "warnings":[],"calls":[{"id":"s#1","tool":"t.x","status":"error","ms":0,"code":"tool_execution_failed"}]}
            """, line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonLine_PartialResultsExactlyAtTheBound_CarriesThemAllWithoutTruncationFlag()
    {
        var item = SampleItems.FailedAfter(Chars('x', HalfBoundChars), Chars('y', HalfBoundChars));

        JsonObject line = JsonLine(item);

        Assert.Equal(["s#1", "s#2"], PartialIds(line));
        Assert.False(line.ContainsKey("partialResultsTruncated"));
    }

    [Fact]
    public void ToJsonLine_PartialResultsOneByteOverTheBound_StopThereAndSetTruncated()
    {
        var item = SampleItems.FailedAfter(Chars('x', HalfBoundChars), Chars('y', HalfBoundChars + 1), "small");

        string line = ResponseItemJson.ToJsonLine(item);

        // The list stops at the first result that does not fit: the small one after it is not carried either.
        Assert.Equal(["s#1"], PartialIds(JsonNode.Parse(line)!.AsObject()));
        Assert.EndsWith("""],"partialResultsTruncated":true}""", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonLine_FirstResultOverTheBound_WritesEmptyPartialResultsAndTruncated()
    {
        string line = ResponseItemJson.ToJsonLine(SampleItems.FailedAfter(Chars('x', (2 * HalfBoundChars) + 3)));

        Assert.EndsWith("""
            "partialResults":[],"partialResultsTruncated":true}
            """, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireLimits.MaxPartialResultsBytes / 6, false)]
    [InlineData((WireLimits.MaxPartialResultsBytes / 6) + 1, true)]
    public void ToJsonLine_PartialResultSize_IsCountedAsWrittenEscapesIncluded(int controls, bool truncated)
    {
        // U+0001 is written as \u0001: 6 bytes. 21,845 of them plus the quotes is exactly 131,072 bytes.
        Assert.Equal(WireLimits.MaxPartialResultsBytes, (6 * (WireLimits.MaxPartialResultsBytes / 6)) + 2);

        JsonObject line = JsonLine(SampleItems.FailedAfter(Chars('\u0001', controls)));

        Assert.Equal(truncated ? 0 : 1, PartialIds(line).Length);
        Assert.Equal(truncated, line.ContainsKey("partialResultsTruncated"));
    }

    [Fact]
    public void ToJsonLine_PartialResultAtDepthLimit_RoundTrips()
    {
        JsonNode deepest = SampleItems.NestedArrays(61);

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(ResponseItemJson.ToJsonLine(SampleItems.FailedAfter(deepest)));

        ResponseItemAssert.JsonEqual(deepest, parsed.Outcome.Calls.Single().Result);
    }

    [Fact]
    public void ToJsonLine_PartialResultNestedTooDeep_EndsTheListInsteadOfFailingTheLine()
    {
        var item = SampleItems.FailedAfter("before", SampleItems.NestedArrays(62), "after");

        JsonObject line = JsonLine(item);

        Assert.Equal(["s#1"], PartialIds(line));
        Assert.True(line["partialResultsTruncated"]!.GetValue<bool>());
    }

    [Fact]
    public void Parse_TruncatedLine_AttachesOnlyTheCarriedResults()
    {
        var item = SampleItems.FailedAfter(Chars('x', HalfBoundChars), Chars('y', HalfBoundChars + 1), "small");

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(ResponseItemJson.ToJsonLine(item));

        Assert.Equal(["s#1", "s#2", "s#3"], parsed.Outcome.Calls.Select(c => c.CallId));
        ResponseItemAssert.JsonEqual(Chars('x', HalfBoundChars), parsed.Outcome.Calls[0].Result);
        Assert.Null(parsed.Outcome.Calls[1].Result);
        Assert.Null(parsed.Outcome.Calls[2].Result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"calls\":null")]
    public void Parse_LineWithoutCalls_ReadsNoCallsAndNoDroppedProgress(string extra)
    {
        string line = extra.Length == 0 ? CallLines.WithoutCalls : CallLines.With(extra);

        var parsed = (ScriptResultItem)ResponseItemJson.Parse(line);

        Assert.Empty(parsed.Outcome.Calls);
        Assert.Empty(parsed.Outcome.PartialResults);
        Assert.Equal(0, parsed.Outcome.DroppedProgress);
    }

    [Fact]
    public void Parse_CallWithErrorCode_ReadsTheCodeWithAnEmptyMessage()
    {
        string line = CallLines.With("""
            "calls":[{"id":"a","tool":"t","status":"error","ms":1.5,"code":"approval_denied"}]
            """);

        ToolCallRecord call = ((ScriptResultItem)ResponseItemJson.Parse(line)).Outcome.Calls.Single();

        Assert.Equal(new ToolCallRecord("a", "t", ToolCallStatus.Failed, TimeSpan.FromTicks(15_000)) { Error = new ScriptError(ScriptErrorCode.ApprovalDenied, string.Empty) }, call);
    }

    [Theory]
    [MemberData(nameof(MalformedCallLines))]
    public void Parse_CallsBreakingTheContract_ThrowFormatException(string why, string extra)
    {
        var error = Record.Exception(() => ResponseItemJson.Parse(CallLines.With(extra)));

        Assert.True(error is FormatException, $"{why}: {error?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public void Parse_PartialResultNestedTooDeep_ThrowsFormatException()
    {
        string tooDeep = new string('[', 62) + new string(']', 62);
        string line = CallLines.With($$"""
            "calls":[{"id":"a","tool":"t","status":"ok","ms":1}],"partialResults":[{"id":"a","tool":"t","result":{{tooDeep}}}]
            """);

        Assert.Throws<FormatException>(() => ResponseItemJson.Parse(line));
    }

    private static JsonObject JsonLine(ResponseItem item) => JsonNode.Parse(ResponseItemJson.ToJsonLine(item))!.AsObject();

    private static string[] PartialIds(JsonObject line) =>
        [.. line["partialResults"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];

    private static JsonNode Chars(char c, int count) => JsonValue.Create(new string(c, count));
}
