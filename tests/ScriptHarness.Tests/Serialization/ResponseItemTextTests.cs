using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

public sealed class ResponseItemTextTests
{
    [Fact]
    public void Render_TextItem_ReturnsPlainTextAsIs()
    {
        Assert.Equal("Reading the files now: héllo 日本", ResponseItemText.Render(SampleItems.Text()));
    }

    [Fact]
    public void Render_OkResult_ShowsHeaderIndentedValueLogsDroppedCountAndWarnings()
    {
        const string expected = """
            ── script #1 · ok · 3 tool calls · 12.4 ms
            {
              "count": 2,
              "files": [
                "a.txt",
                "b.txt"
              ],
              "meta": {
                "deep": [
                  1,
                  2.5,
                  null,
                  true
                ],
                "empty": {}
              }
            }
            [log] read 2 files
            [warn] slow disk
            (2 log entries dropped)
            ! detached_promise: 1 tool call was still running
            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), ResponseItemText.Render(SampleItems.Ok()));
    }

    [Fact]
    public void Render_ErrorResult_ShowsCodeRetryabilityMessagePositionAndStack()
    {
        const string expected = """
            ── script #2 · error timeout (retryable) · 0 tool calls · 30001.0 ms
              Script ran longer than 30000 ms.
              at 3:7
                at main (3:7)
            [error] giving up
            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), ResponseItemText.Render(SampleItems.Error()));
    }

    [Fact]
    public void Render_NonRetryableErrorWithoutPosition_ShowsCodeAndMessageOnly()
    {
        var item = new ScriptResultItem(4, ScriptOutcome.Failed(4, new ScriptError(ScriptErrorCode.SyntaxError, "Unexpected token")));

        Assert.Equal("── script #4 · error syntax_error · 0 tool calls · 0.0 ms\n  Unexpected token", ResponseItemText.Render(item));
    }

    [Fact]
    public void Render_SkippedResult_IsTheHeaderAlone()
    {
        Assert.Equal("── script #3 · skipped", ResponseItemText.Render(SampleItems.Skipped()));
    }

    [Fact]
    public void Render_OkWithoutValue_HasNoValueLine()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            ToolCalls = 1,
            Logs = [new LogEntry(LogLevel.Debug, "d")],
            DroppedLogs = 1,
        });

        Assert.Equal("── script #1 · ok · 1 tool call · 0.0 ms\n[debug] d\n(1 log entry dropped)", ResponseItemText.Render(item));
    }

    [Fact]
    public void Render_StringValue_IsShownAsJsonWithoutHtmlEscapes()
    {
        var item = SampleItems.WithValue(JsonValue.Create("<b>\"日本\"</b>"));

        Assert.EndsWith("\n\"<b>\\\"日本\\\"</b>\"", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ControlCharactersFromTheScript_AreShownEscapedSoTheyCannotDriveTheTerminal()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with { Logs = [new LogEntry(LogLevel.Information, "\u001b[2Jgone\u0007\tok")] });

        Assert.EndsWith("\n[log] \\u001b[2Jgone\\u0007\tok", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MultiLineMessages_ShowTheirLineBreaksSoTheyCannotForgeLines()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            Logs = [new LogEntry(LogLevel.Warning, "first\r\nsecond")],
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "a\nb")],
        });

        Assert.EndsWith("\n[warn] first\\r\\nsecond\n! detached_promise: a\\nb", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CallsOfEveryStatus_ShowOneSummaryLineAndDroppedProgress()
    {
        const string expected = """
            ── script #6 · ok · 7 tool calls · 260.0 ms
            (4 progress messages dropped)
              calls: 1 ok, 1 error (files.read#2 tool_execution_failed), 1 dry_run, 1 cancelled, 1 detached, 1 suspended, 1 running
            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), ResponseItemText.Render(SampleItems.Calls()));
    }

    [Fact]
    public void Render_ErrorWithPartialResults_CountsThemAfterTheCalls()
    {
        const string expected = """
            ── script #7 · error timeout (retryable) · 4 tool calls · 100.5 ms
              Script ran longer than 100 ms.
              calls: 2 ok, 1 error (files.read#3 tool_validation_failed), 1 detached
              partial results: 2 (see jsonl)
            ! detached_promise: 1 tool call(s) were still running when the script ended and were cancelled: turn-2/s1#4
            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), ResponseItemText.Render(SampleItems.Partial()));
    }

    [Fact]
    public void Render_TruncatedPartialResults_SayHowManyOfHowMany()
    {
        var item = SampleItems.FailedAfter(new string('x', 100_000), new string('y', 100_000), "small");

        Assert.EndsWith("\n  calls: 3 ok\n  partial results: 1 of 3, truncated (see jsonl)", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManyFailedCalls_NamesTheFirstThreeThenCountsTheRest()
    {
        var error = new ScriptError(ScriptErrorCode.ToolBudgetExceeded, "m");
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            DroppedProgress = 1,
            Calls =
            [
                new ToolCallRecord("s#1", "a.one", ToolCallStatus.Succeeded, TimeSpan.Zero),
                .. Enumerable.Range(2, 5).Select(n => new ToolCallRecord($"s#{n}", "b.two", ToolCallStatus.Failed, TimeSpan.Zero) { Error = n == 3 ? null : error }),
            ],
        });

        Assert.EndsWith(
            "\n(1 progress message dropped)\n  calls: 1 ok, 5 error (b.two#2 tool_budget_exceeded, b.two#3, b.two#4 tool_budget_exceeded, +2 more)",
            ResponseItemText.Render(item),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ControlCharactersInAToolName_AreShownEscaped()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            Calls = [new ToolCallRecord("s#1", "x\u001b[2J", ToolCallStatus.Failed, TimeSpan.Zero)],
        });

        Assert.EndsWith("\n  calls: 1 error (x\\u001b[2J#1)", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>("item", () => ResponseItemText.Render(null!));
    }

    [Fact]
    public void Render_SuspendedScript_ShowsTheWaitingCallItsArgumentsAndTheResumeToken()
    {
        var outcome = new ScriptOutcome
        {
            Index = 2,
            Status = ScriptStatus.Suspended,
            ToolCalls = 1,
            Suspension = new ScriptSuspension("tok-1", "t/s1#1", "mail.send", JsonNode.Parse("""{"to":"a@b"}""")),
        };

        Assert.Equal(
            "── script #2 · suspended · 1 tool call · 0.0 ms\n  waiting for approval: t/s1#1 mail.send {\"to\":\"a@b\"}\n  resume token: tok-1",
            ResponseItemText.Render(new ScriptResultItem(2, outcome)));
        Assert.Equal(
            "── script #2 · suspended · 1 tool call · 0.0 ms\n  waiting for approval: t/s1#1 mail.send null\n  resume token: tok-1",
            ResponseItemText.Render(new ScriptResultItem(2, outcome with { Suspension = outcome.Suspension! with { Arguments = null } })));
    }

    [Fact]
    public void Render_ALineBreakInAFailedToolsName_IsShownEscaped_NotKept()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            Calls = [new ToolCallRecord("s#1", "x\ny", ToolCallStatus.Failed, TimeSpan.Zero)],
        });

        Assert.EndsWith("\n  calls: 1 error (x\\ny#1)", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExactlyThreeFailedCalls_NamesThemAll_WithNoMoreCount()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, null) with
        {
            Calls = [.. Enumerable.Range(1, 3).Select(n => new ToolCallRecord($"s#{n}", "b.two", ToolCallStatus.Failed, TimeSpan.Zero))],
        });

        Assert.EndsWith("\n  calls: 3 error (b.two#1, b.two#2, b.two#3)", ResponseItemText.Render(item), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AStackWithCrLfLineBreaks_PutsEachFrameOnItsOwnIndentedLine()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.RuntimeError, "boom") { Stack = "at f (1:1)\r\nat g (2:2)\rat h (3:3)" }));

        Assert.Equal(
            "── script #1 · error runtime_error · 0 tool calls · 0.0 ms\n  boom\n    at f (1:1)\n    at g (2:2)\n    at h (3:3)",
            ResponseItemText.Render(item));
    }

    [Theory]
    [InlineData("abc\r", "abc\\r")]
    [InlineData("\r", "\\r")]
    [InlineData("a\r\nb\rc", "a\r\nb\\rc")]
    public void Render_TextEndingOrHoldingALoneCarriageReturn_ShowsItEscaped_AndKeepsCrLf(string text, string expected)
    {
        Assert.Equal(expected, ResponseItemText.Render(new TextItem(0, text)));
    }

    [Fact]
    public void Render_UnderACommaDecimalCulture_StillUsesInvariantNumbers()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.StartsWith("── script #1 · ok · 3 tool calls · 12.4 ms\n", ResponseItemText.Render(SampleItems.Ok()), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}
