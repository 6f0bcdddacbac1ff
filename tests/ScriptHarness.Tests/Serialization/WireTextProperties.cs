using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

/// <summary>Any text JavaScript can hold, lone surrogates included.</summary>
public sealed record ScriptString(string Value)
{
    public override string ToString() => string.Concat(Value.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>The JSON text JSON.stringify makes of the string: lone surrogates, controls, quote and backslash escaped.</summary>
    public string Stringified()
    {
        var json = new StringBuilder("\"");
        for (var i = 0; i < Value.Length; i++)
        {
            var c = Value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < Value.Length && char.IsLowSurrogate(Value[i + 1]);
            if (pair)
            {
                json.Append(c).Append(Value[++i]);
            }
            else if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }

    public static Arbitrary<ScriptString> Arbitrary() => Gen.Frequency(
            (4, Gen.Choose(' ', '~')),
            (2, Gen.Choose(0xD800, 0xDFFF)),
            (1, Gen.Choose(0, 0x1F)),
            (1, Gen.Elements(0x202E, 0x2028, 0x1B, 0x7F, 0xFEFF, 0xFFFD, 0xE9, 0x65E5)),
            (1, Gen.Choose(0x100, 0xFFFF)))
        .Select(code => (char)code)
        .ArrayOf()
        .Select(chars => new ScriptString(new string(chars)))
        .ToArbitrary();
}

/// <summary>
/// Any string a script can return or log, or a tool can produce, is written by every output form and reads back as
/// the same text with each lone surrogate replaced by U+FFFD.
/// </summary>
[Properties(Arbitrary = new[] { typeof(ScriptString) }, MaxTest = 300)]
public sealed class WireTextProperties
{
    [Property]
    public void AnyStringAScriptReturnsOrLogs_IsWrittenByEveryFormAndReadsBack(ScriptString text)
    {
        var expected = WellFormedText.Repair(text.Value);
        var returned = ReturnValues.FromJson($"{{\"v\":{text.Stringified()}}}", ScriptLimits.Default);
        var outcome = ScriptOutcome.Ok(0, returned.Value) with
        {
            Logs = [new LogEntry(LogLevel.Information, text.Value)],
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, text.Value)],
        };

        foreach (var back in RoundTrips(new ScriptResultItem(0, outcome)).Cast<ScriptResultItem>())
        {
            Assert.Equal(expected, back.Outcome.Value!["v"]!.GetValue<string>());
            Assert.Equal(expected, back.Outcome.Logs[0].Message);
            Assert.Equal(expected, back.Outcome.Warnings[0].Message);
        }
    }

    [Property]
    public void AnyStringAToolProduces_IsWrittenByEveryFormAndReadsBack(ScriptString text)
    {
        var expected = WellFormedText.Repair(text.Value);
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.RuntimeError, text.Value)) with
        {
            Calls =
            [
                new ToolCallRecord("t/s0#1", "a.b", ToolCallStatus.Succeeded, TimeSpan.Zero) { Result = JsonValue.Create(text.Value) },
                new ToolCallRecord("t/s0#2", "a.b", ToolCallStatus.Succeeded, TimeSpan.Zero) { Result = JsonNode.Parse($"[{text.Stringified()}]") },
            ],
        };

        foreach (var back in RoundTrips(new ScriptResultItem(0, outcome)).Cast<ScriptResultItem>())
        {
            Assert.Equal(expected, back.Outcome.Error!.Message);
            Assert.Equal(expected, back.Outcome.Calls[0].Result!.GetValue<string>());
            Assert.Equal(expected, back.Outcome.Calls[1].Result![0]!.GetValue<string>());
        }
    }

    [Property]
    public void AnyProse_IsWrittenByEveryFormAndReadsBack(ScriptString text)
    {
        foreach (var back in RoundTrips(new TextItem(0, text.Value)).Cast<TextItem>())
        {
            Assert.Equal(WellFormedText.Repair(text.Value), back.Text);
        }
    }

    // The item read back from its JSON line and from its MessagePack map; the text render must not throw and shows no
    // character that could drive a terminal.
    private static IEnumerable<ResponseItem> RoundTrips(ResponseItem item)
    {
        var rendered = ResponseItemText.Render(item);
        Assert.True(WellFormedText.IsWellFormed(rendered));
        Assert.DoesNotContain(rendered, c => c is '\u001b' or '\u202e' or '\u2028' or '\u0007');
        yield return ResponseItemJson.Parse(ResponseItemJson.ToJsonLine(item));
        yield return ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item));
    }
}
