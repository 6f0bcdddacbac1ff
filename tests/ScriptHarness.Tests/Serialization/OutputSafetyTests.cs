using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

/// <summary>
/// Whatever a script or tool hands back, every output form writes it: no exception at the host edge (issues 9 and
/// 17). Each test here failed before its fix.
/// </summary>
public sealed class OutputSafetyTests
{
    // What JSON.stringify makes of "a\ud800b": the lone surrogate as an escape System.Text.Json cannot read back.
    private static JsonNode LoneSurrogateValue() => JsonNode.Parse("""{"s":"a\ud800b","k":["\udfff"]}""")!;

    [Fact]
    public void ToJsonLine_ValueHoldingALoneSurrogate_WritesUFFFDInsteadOfThrowing()
    {
        var line = ResponseItemJson.ToJsonLine(new ScriptResultItem(0, ScriptOutcome.Ok(0, LoneSurrogateValue())));

        var value = ((ScriptResultItem)ResponseItemJson.Parse(line)).Outcome.Value!;
        Assert.Equal("a\uFFFDb", value["s"]!.GetValue<string>());
        Assert.Equal("\uFFFD", value["k"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Serialize_ValueHoldingALoneSurrogate_WritesUFFFDInsteadOfThrowing()
    {
        var bytes = ResponseItemMessagePack.Serialize(new ScriptResultItem(0, ScriptOutcome.Ok(0, LoneSurrogateValue())));

        var value = ((ScriptResultItem)ResponseItemMessagePack.Deserialize(bytes)).Outcome.Value!;
        Assert.Equal("a\uFFFDb", value["s"]!.GetValue<string>());
    }

    [Fact]
    public void Render_ValueAndLogHoldingALoneSurrogate_ShowsUFFFD()
    {
        var item = new ScriptResultItem(0, ScriptOutcome.Ok(0, LoneSurrogateValue()) with { Logs = [new LogEntry(LogLevel.Information, "x\ud800")] });

        var text = ResponseItemText.Render(item);

        Assert.Contains("\"a\uFFFDb\"", text, StringComparison.Ordinal);
        Assert.EndsWith("[log] x\uFFFD", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonLine_PartialResultParsedWithALoneSurrogate_IsCarriedWithUFFFD()
    {
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.Timeout, "late")) with
        {
            Calls = [new ToolCallRecord("t/s0#1", "test.echo", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(1)) { Result = LoneSurrogateValue() }],
        };

        var line = ResponseItemJson.ToJsonLine(new ScriptResultItem(0, outcome));

        Assert.Contains("\"s\":\"a\uFFFDb\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("partialResultsTruncated", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LineWithALoneSurrogateEscape_ReadsBackAsUFFFD()
    {
        var item = (TextItem)ResponseItemJson.Parse("""{"type":"text","index":0,"text":"x\ud800y"}""");

        Assert.Equal("x\uFFFDy", item.Text);
        Assert.Equal("{\"type\":\"text\",\"index\":0,\"text\":\"x\uFFFDy\"}", ResponseItemJson.ToJsonLine(item));
    }

    // A key System.Text.Json cannot read back at all (only a host parsing such text itself can make one): the result is
    // left out like one too large, and the line is still written.
    [Fact]
    public void ToJsonLine_PartialResultWithAnUnreadableKey_IsLeftOutAndMarkedTruncated()
    {
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.Timeout, "late")) with
        {
            Calls = [new ToolCallRecord("t/s0#1", "test.echo", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(1)) { Result = JsonNode.Parse("""{"k\udc00":1}""") }],
        };

        var line = ResponseItemJson.ToJsonLine(new ScriptResultItem(0, outcome));

        Assert.Contains("\"partialResults\":[],\"partialResultsTruncated\":true", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("123456789e999999")]
    public void Serialize_NumberBeyondFloat64_RoundTripsAsTheSameJsonNumber(string number)
    {
        var value = JsonNode.Parse($$"""{"n":{{number}},"list":[{{number}},1]}""");
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.Timeout, "late")) with
        {
            Calls = [new ToolCallRecord("t/s0#1", "test.echo", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(1)) { Result = JsonNode.Parse(number) }],
        };
        var items = new ResponseItem[] { new ScriptResultItem(0, ScriptOutcome.Ok(0, value)), new ScriptResultItem(1, outcome with { Index = 1 }) };

        foreach (var item in items)
        {
            var back = ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item));
            Assert.Equal(ResponseItemJson.ToJsonLine(item), ResponseItemJson.ToJsonLine(back));
        }
    }

    [Fact]
    public void Deserialize_UnknownExtensionType_IsAFormatException()
    {
        // fixext 1, type 7: no JSON equivalent.
        byte[] bytes = [0x83, 0xa4, .. "type"u8, 0xa4, .. "text"u8, 0xa5, .. "index"u8, 0x00, 0xa4, .. "text"u8, 0xd4, 0x07, 0x00];

        Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));
    }

    [Fact]
    public void Render_ProseWithEscapeSequencesAndBidiOverrides_ShowsThemEscapedAndKeepsLineBreaks()
    {
        var text = ResponseItemText.Render(new TextItem(0, "clear\u001b[2J title\u001b]0;pwned\u0007 \u202Eevil\u2066\nnext\r\nline\rover"));

        Assert.Equal("clear\\u001b[2J title\\u001b]0;pwned\\u0007 \\u202eevil\\u2066\nnext\r\nline\\rover", text);
    }

    [Fact]
    public void Render_LineBreaksAndBidiOverridesInsideLogsErrorsAndWarnings_StayOnTheirOwnLine()
    {
        var item = new ScriptResultItem(1, ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.RuntimeError, "bad\n── script #2 · ok")) with
        {
            Value = JsonValue.Create("\u202Egnp.exe"),
            Logs = [new LogEntry(LogLevel.Information, "done\n── script #3 · ok · 0 tool calls · 1.0 ms"), new LogEntry(LogLevel.Warning, "a\u2028b\u202Ec")],
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "x\r\ny")],
        });

        var lines = ResponseItemText.Render(item).Split('\n');

        Assert.Equal("\"\\u202egnp.exe\"", lines[1]);
        Assert.Equal("  bad\\n── script #2 · ok", lines[2]);
        Assert.Contains("[log] done\\n── script #3 · ok · 0 tool calls · 1.0 ms", lines);
        Assert.Contains("[warn] a\\u2028b\\u202ec", lines);
        Assert.Contains("! detached_promise: x\\r\\ny", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("──", StringComparison.Ordinal) && l != lines[0]);
    }
}
