using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Serialization;

/// <summary>The human-readable form of response items that the CLI prints: plain text, no colours.</summary>
/// <remarks>
/// <para>A text item is its text, with its line breaks and tabs; any other character that could drive or fool a
/// terminal is shown as <c>\uXXXX</c> (see below). A script result is a header line, then its details:</para>
/// <code>
/// ── script #1 · ok · 3 tool calls · 12.4 ms
/// { the value as indented JSON; no line when there is no value }
/// [log] message
/// (2 log entries dropped)
/// (1 progress message dropped)
///   calls: 3 ok, 1 error (files.read#2 tool_execution_failed), 1 detached
/// ! detached_promise: message
/// </code>
/// <para>The calls line counts the script's tool calls by status (<c>ok</c>, <c>error</c>, <c>dry_run</c>,
/// <c>cancelled</c>, <c>detached</c>, <c>running</c>, in that order, zero counts left out) and names the failed ones
/// as <c>tool#N code</c>, N being the call's place in call order (the first three, then <c>+N more</c>); it is
/// absent when the script made no call.</para>
/// <para>A failure puts the code (and "(retryable)") in the header and the error below it:</para>
/// <code>
/// ── script #2 · error timeout (retryable) · 0 tool calls · 30001.0 ms
///   message
///   at 3:7
///     stack lines, when known
///   calls: 2 ok, 1 detached
///   partial results: 2 (see jsonl)
/// </code>
/// <para>The partial results line appears when the JSON line carries <c>partialResults</c>, with their number
/// (<c>2 of 5, truncated</c> when the size bound left some out).</para>
/// <para>A suspended block (durable approvals) shows the waiting call (id, tool, sanitized arguments) and the
/// resume token on two lines: <c>  waiting for approval: …</c>, <c>  resume token: …</c>.</para>
/// <para>A skipped block is the header alone: <c>── script #3 · skipped</c>. <c>#N</c> is the reply segment
/// index. Log levels use the JSON names (<c>log</c>, <c>warn</c>, <c>error</c>, <c>debug</c>). Lines end in
/// <c>'\n'</c> and the last has no newline. Numbers use the invariant culture.</para>
/// <para>Nothing a model or script wrote can drive the terminal or forge a line: control characters (escape
/// sequences), format characters (bidirectional overrides such as U+202E, zero-width characters), line and paragraph
/// separators, private-use and unassigned characters are shown as <c>\uXXXX</c> everywhere, the reply's prose and the
/// value's JSON included; a line break inside a message, log entry or warning is shown as <c>\n</c> (<c>\r</c>), so
/// each stays on its one line; a lone surrogate is shown as U+FFFD. Only the stack keeps its lines (each one
/// escaped). The <c>jsonl</c> and MessagePack forms carry the text unchanged.</para>
/// </remarks>
public static class ResponseItemText
{
    // The render goes to a terminal, not into HTML: quotes and angle brackets stay readable. '\n' on every OS.
    private static readonly JsonWriterOptions ValueOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int MaxFailuresNamed = 3;

    private static readonly ToolCallStatus[] SummaryOrder =
    [
        ToolCallStatus.Succeeded,
        ToolCallStatus.Failed,
        ToolCallStatus.DryRun,
        ToolCallStatus.Cancelled,
        ToolCallStatus.Detached,
        ToolCallStatus.Suspended,
        ToolCallStatus.Running,
    ];

    /// <summary>Renders <paramref name="item"/> for people to read.</summary>
    /// <exception cref="ArgumentException">The item is of an unknown kind.</exception>
    public static string Render(ResponseItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item switch
        {
            TextItem text => Printable(text.Text, keepLineBreaks: true),
            ScriptResultItem script => Render(script),
            _ => throw WireMapper.UnknownItem(item),
        };
    }

    /// <summary>
    /// <paramref name="text"/> safe for a terminal: every character that could drive or fool it shown as
    /// <c>\uXXXX</c>; line breaks kept when <paramref name="keepLineBreaks"/>, else shown as <c>\n</c>/<c>\r</c>.
    /// </summary>
    internal static string Printable(string text, bool keepLineBreaks)
    {
        var builder = new StringBuilder(text.Length);
        AppendPrintable(builder, text, keepLineBreaks);
        return builder.ToString();
    }

    private static string Render(ScriptResultItem item)
    {
        ScriptOutcome outcome = item.Outcome;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"── script #{item.Index} · {WireNames.ToWire(outcome.Status)}");
        if (outcome.Status == ScriptStatus.Skipped)
        {
            return text.ToString();
        }

        if (outcome.Error is { } error)
        {
            text.Append(' ').Append(error.WireCode).Append(error.Retryable ? " (retryable)" : string.Empty);
        }

        string calls = outcome.ToolCalls == 1 ? "tool call" : "tool calls";
        double ms = outcome.Duration.Ticks / (double)TimeSpan.TicksPerMillisecond;
        text.Append(CultureInfo.InvariantCulture, $" · {outcome.ToolCalls} {calls} · {ms:0.0} ms");

        if (outcome.Value is { } value)
        {
            text.Append('\n');
            AppendPrintable(text, Indented(value), keepLineBreaks: true);
        }

        if (outcome.Suspension is { } suspension)
        {
            AppendLine(text, "  ", $"waiting for approval: {suspension.CallId} {suspension.Tool} {suspension.Arguments?.ToJsonString() ?? "null"}");
            AppendLine(text, "  ", "resume token: " + suspension.Token);
        }

        if (outcome.Error is { } failure)
        {
            AppendLine(text, "  ", failure.Message);
            if (failure.Line is { } line)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  at {line}:{failure.Column ?? 0}");
            }

            if (failure.Stack is { } stack)
            {
                AppendLines(text, "    ", stack.Trim());
            }
        }

        foreach (LogEntry log in outcome.Logs)
        {
            AppendLine(text, $"[{WireNames.ToWire(log.Level)}] ", log.Message);
        }

        if (outcome.DroppedLogs > 0)
        {
            string entries = outcome.DroppedLogs == 1 ? "entry" : "entries";
            text.Append(CultureInfo.InvariantCulture, $"\n({outcome.DroppedLogs} log {entries} dropped)");
        }

        if (outcome.DroppedProgress > 0)
        {
            string messages = outcome.DroppedProgress == 1 ? "message" : "messages";
            text.Append(CultureInfo.InvariantCulture, $"\n({outcome.DroppedProgress} progress {messages} dropped)");
        }

        AppendCalls(text, outcome);

        foreach (ScriptError warning in outcome.Warnings)
        {
            AppendLine(text, $"! {warning.WireCode}: ", warning.Message);
        }

        return text.ToString();
    }

    private static void AppendCalls(StringBuilder text, ScriptOutcome outcome)
    {
        if (outcome.Calls.Count == 0)
        {
            return;
        }

        text.Append("\n  calls: ");
        string separator = string.Empty;
        foreach (ToolCallStatus status in SummaryOrder)
        {
            int count = outcome.Calls.Count(c => c.Status == status);
            if (count == 0)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{separator}{count} {WireNames.ToWire(status)}");
            separator = ", ";
            if (status == ToolCallStatus.Failed)
            {
                AppendFailures(text, outcome.Calls);
            }
        }

        if (WireCalls.SelectPartialResults(outcome) is { } partial)
        {
            int all = outcome.PartialResults.Count();
            text.Append(partial.Truncated
                ? string.Create(CultureInfo.InvariantCulture, $"\n  partial results: {partial.Entries.Count} of {all}, truncated (see jsonl)")
                : string.Create(CultureInfo.InvariantCulture, $"\n  partial results: {partial.Entries.Count} (see jsonl)"));
        }
    }

    // "(files.read#2 tool_execution_failed, …)": the place in call order is what a reader can find in the jsonl calls.
    private static void AppendFailures(StringBuilder text, IReadOnlyList<ToolCallRecord> calls)
    {
        var failed = calls.Select((call, i) => (call, number: i + 1)).Where(c => c.call.Status == ToolCallStatus.Failed).ToList();
        string separator = " (";
        foreach (var (call, number) in failed.Take(MaxFailuresNamed))
        {
            text.Append(separator);
            separator = ", ";
            AppendPrintable(text, call.Tool, keepLineBreaks: false);
            text.Append(CultureInfo.InvariantCulture, $"#{number}");
            if (call.Error is { } error)
            {
                text.Append(' ').Append(error.WireCode);
            }
        }

        if (failed.Count > MaxFailuresNamed)
        {
            text.Append(CultureInfo.InvariantCulture, $", +{failed.Count - MaxFailuresNamed} more");
        }

        text.Append(')');
    }

    private static string Indented(JsonNode value)
    {
        try
        {
            return IndentedCore(value);
        }
        catch (Exception ex) when (WellFormedText.IsLoneSurrogateFailure(ex))
        {
            // Parsed JSON holding a lone surrogate escape cannot be written back: shown with U+FFFD, as the wire forms do.
            return IndentedCore(WellFormedText.Repair(value)!);
        }
    }

    private static string IndentedCore(JsonNode value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ValueOptions))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Starts a new line with prefix and the message on it: line breaks in it are shown, so it cannot forge lines.
    private static void AppendLine(StringBuilder text, string prefix, string message)
    {
        text.Append('\n').Append(prefix);
        AppendPrintable(text, message, keepLineBreaks: false);
    }

    // Starts a new line with prefix; a multi-line text (a stack) keeps its later lines under the first, indented alike.
    private static void AppendLines(StringBuilder text, string prefix, string message)
    {
        string indent = new(' ', prefix.Length);
        string[] lines = message.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            text.Append('\n').Append(i == 0 ? prefix : indent);
            AppendPrintable(text, lines[i], keepLineBreaks: false);
        }
    }

    private static void AppendPrintable(StringBuilder text, string value, bool keepLineBreaks)
    {
        string line = WellFormedText.Repair(value);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];

            // A CR alone returns the cursor to the line's start and can overwrite what is shown; CRLF is a line break.
            if (c == '\t' || (keepLineBreaks && (c == '\n' || (c == '\r' && i + 1 < line.Length && line[i + 1] == '\n'))))
            {
                text.Append(c);
            }
            else if (c == '\n' || c == '\r')
            {
                text.Append(c == '\n' ? "\\n" : "\\r");
            }
            else if (IsUnsafe(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }
    }

    // What could move the cursor, clear the screen, reorder what is shown or hide text: the same set the approval prompt escapes.
    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
