using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ScriptHarness.Serialization;

/// <summary>
/// The JSON Lines form of response items: one compact JSON object per item, what the CLI prints and what tools
/// downstream read. The property names and value spellings below are a stable contract.
/// </summary>
/// <remarks>
/// <para>A text item: <c>{"type":"text","index":N,"text":"…"}</c>.</para>
/// <para>A script result, properties in this order:
/// <c>{"type":"script_result","index":N,"status":"ok"|"error"|"skipped"|"suspended","value":…,"error":…,"toolCalls":N,
/// "durationMs":N,"logs":[…],"warnings":[…],"calls":[…],"partialResults":[…],"partialResultsTruncated":true,
/// "droppedLogs":N,"droppedProgress":N,"sha256":"…","suspension":{…}}</c></para>
/// <list type="bullet">
/// <item><c>value</c>: always present; the script's return value as JSON, or <c>null</c> when there is none
/// (<c>undefined</c>, failed, skipped). Any JSON is written as is, large numbers included.</item>
/// <item><c>error</c>: always present; <c>null</c> unless the script failed, else
/// <c>{"code":"…","message":"…","retryable":bool,"line":N,"column":N,"stack":"…"}</c> where <c>code</c> is a
/// <see cref="ScriptErrorCodes"/> wire code and <c>line</c>, <c>column</c>, <c>stack</c> are omitted when unknown.
/// <c>retryable</c> is derived from the code, so readers need not trust it.</item>
/// <item><c>durationMs</c>: wall-clock milliseconds, rounded to at most 3 decimals.</item>
/// <item><c>logs</c>: always present, possibly empty; <c>{"level":"log"|"warn"|"error"|"debug","message":"…"}</c>.
/// <c>console.log</c> and <c>console.info</c> (Information) are <c>log</c>; Warning is <c>warn</c>; Error and
/// Critical are <c>error</c>; Debug and Trace are <c>debug</c>. Readers also accept <c>info</c>.</item>
/// <item><c>warnings</c>: always present, possibly empty; <c>{"code":"…","message":"…"}</c>, plus
/// <c>line</c>/<c>column</c>/<c>stack</c> when the warning has them.</item>
/// <item><c>calls</c>: always present, possibly empty; every tool call in call order,
/// <c>{"id":"…","tool":"…","status":"ok"|"error"|"dry_run"|"cancelled"|"detached"|"running","ms":N,"code":"…"}</c>
/// with <c>ms</c> rounded like <c>durationMs</c> and <c>code</c> only when the call has an error. Readers treat
/// a missing <c>calls</c> (lines written before it existed) as empty.</item>
/// <item><c>partialResults</c>: only when <c>status</c> is <c>error</c> and at least one call succeeded;
/// <c>{"id":"…","tool":"…","result":…}</c> for the succeeded calls in call order, <c>result</c> always present.
/// The list stops before the first result that would take the results' compact JSON past 128 KiB (131,072 UTF-8
/// bytes) in total or nest deeper than the line allows (61 levels); <c>partialResultsTruncated</c> is then
/// <c>true</c>, and omitted otherwise. Readers attach each result to the call with the same id, which must have
/// status <c>ok</c>; the truncation flag is not kept.</item>
/// <item><c>droppedLogs</c>, <c>droppedProgress</c>: omitted when no console entry, or no progress message, was
/// dropped. <c>sha256</c>: omitted when unknown.</item>
/// <item><c>suspension</c>: only when <c>status</c> is <c>suspended</c> (durable approvals):
/// <c>{"token":"…","callId":"…","tool":"…","arguments":…}</c>, the call waiting for approval with its sanitized
/// arguments, and the token that resumes the block.</item>
/// </list>
/// <para>Text is written as is, backticks, quotes and HTML-sensitive characters (<c>` ' &lt; &gt; &amp;</c>)
/// included, as Microsoft.Extensions.AI writes JSON for models; only <c>"</c> and <c>\</c> (as <c>\"</c>, <c>\\</c>),
/// control characters and characters outside the basic plane (emoji) are escaped. A lone surrogate never reaches
/// the line: it is written as U+FFFD.
/// Objects and arrays nest at most 64 levels per line (a value at most 63).</para>
/// <para><c>index</c> is the item's <see cref="ResponseItem.Index"/> (the outcome's own index is expected to be the
/// same); reading sets both. Readers ignore unknown properties, so optional properties can be added later without
/// breaking them, and refuse duplicate keys.</para>
/// </remarks>
public static class ResponseItemJson
{
    /// <summary>Serializes <paramref name="item"/> as one JSON line, without a trailing newline.</summary>
    /// <exception cref="ArgumentException">The item is of an unknown kind or its value nests too deeply.</exception>
    public static string ToJsonLine(ResponseItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            Write(buffer, writer, item);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes each item as one JSON line ending in <c>'\n'</c> (UTF-8), flushing the stream after each so a
    /// streaming consumer sees every result as soon as it exists. The stream is left open.
    /// </summary>
    /// <exception cref="ArgumentException">An item is of an unknown kind or its value nests too deeply; the items
    /// before it have been written, and nothing of it.</exception>
    public static async Task WriteJsonLinesAsync(Stream stream, IAsyncEnumerable<ResponseItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(items);

        // One buffer and writer for the whole sequence; each line is complete in memory before it reaches the stream.
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions);
        await foreach (ResponseItem item in items.WithCancellation(ct).ConfigureAwait(false))
        {
            ArgumentNullException.ThrowIfNull(item);
            Write(buffer, writer, item);
            buffer.Write("\n"u8);
            await stream.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one JSON line back into the item it was written from.</summary>
    /// <param name="jsonLine">One line as written by <see cref="ToJsonLine"/>; surrounding whitespace is allowed.</param>
    /// <exception cref="FormatException">The line is not valid JSON, lacks a required property, holds an
    /// unknown type, status, error code or log level, or a partial result that matches no succeeded call.</exception>
    public static ResponseItem Parse(string jsonLine)
    {
        ArgumentNullException.ThrowIfNull(jsonLine);
        return WireJson.Read(WellFormedText.RepairJson(jsonLine));
    }

    // A value parsed from JSON text may hold a lone surrogate escape that System.Text.Json cannot write back; the
    // pipeline repairs values as they leave the engine, and an item built elsewhere is repaired here (U+FFFD).
    private static void Write(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, ResponseItem item)
    {
        buffer.ResetWrittenCount();

        // Stryker disable once Statement : equivalent; each earlier item left the writer after a whole value (one that failed ended the loop), and a new value may follow it
        writer.Reset(buffer);
        try
        {
            WireJson.Write(writer, item);
        }
        catch (Exception ex) when (WellFormedText.IsLoneSurrogateFailure(ex))
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WireJson.Write(writer, WellFormedText.Repair(item));
        }
    }
}
