using System.Buffers;
using System.Text.Json.Nodes;
using MessagePack;

namespace ScriptHarness.Serialization;

/// <summary>
/// Reads one MessagePack map back into a response item, with the JSON reader's rules: keys in any order, unknown
/// keys skipped, required keys enforced, and every malformation reported as <see cref="FormatException"/>.
/// </summary>
internal static class MessagePackLineReader
{
    // Nesting depths for the guard, the item map itself being 1: its values sit at 2, values inside the error map
    // at 3, values inside a log, warning, call or partial result map (within their array) at 4.
    private const int ItemChildDepth = 2;
    private const int ErrorChildDepth = 3;
    private const int ListEntryChildDepth = 4;

    /// <exception cref="FormatException">The bytes are not exactly one valid response item.</exception>
    internal static ResponseItem Read(ReadOnlySequence<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            ResponseItem item = ReadItem(ref reader);
            return reader.End ? item : throw new FormatException("Unexpected bytes after the response item.");
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException
            or ArgumentOutOfRangeException)
        {
            // The reader's own failures on malformed input; anything else would be a bug and is left to surface. The
            // MessagePack reader throws ArgumentOutOfRangeException for a str/bin/ext length beyond int or beyond the
            // input (found by fuzzing; MessagePackFuzzRegressionTests); our reading code throws none of its own.
            throw new FormatException($"Not a valid MessagePack response item: {e.Message}", e);
        }
    }

    private static SuspensionLine ReadSuspension(ref MessagePackReader reader)
    {
        string? token = null, callId = null, tool = null;
        JsonNode? arguments = null;
        var keys = new KeySet();
        for (int i = reader.ReadMapHeader(); i > 0; i--)
        {
            switch (keys.Add(JsonNodeMessagePack.ReadKey(ref reader)))
            {
                case WireNames.Token: token = ReadString(ref reader); break;
                case WireNames.CallId: callId = ReadString(ref reader); break;
                case WireNames.Tool: tool = ReadString(ref reader); break;
                case WireNames.Arguments: arguments = JsonNodeMessagePack.Read(ref reader, ItemChildDepth + 1); break;
                default: JsonNodeMessagePack.Skip(ref reader, ItemChildDepth + 1); break;
            }
        }

        return new SuspensionLine(Required(token, WireNames.Token), Required(callId, WireNames.CallId), Required(tool, WireNames.Tool), arguments);
    }

    private static ResponseItem ReadItem(ref MessagePackReader reader)
    {
        string? type = null, text = null, status = null, sha256 = null;
        int? index = null, toolCalls = null, droppedLogs = null, droppedProgress = null;
        double? durationMs = null;
        JsonNode? value = null;
        ErrorLine? error = null;
        bool hasValue = false, hasError = false;
        List<LogLine>? logs = null;
        List<WarningLine>? warnings = null;
        List<CallLine>? calls = null;
        List<PartialResultLine>? partialResults = null;
        bool? partialResultsTruncated = null;
        SuspensionLine? suspension = null;

        var keys = new KeySet();
        for (int i = reader.ReadMapHeader(); i > 0; i--)
        {
            switch (keys.Add(JsonNodeMessagePack.ReadKey(ref reader)))
            {
                case WireNames.Type: type = ReadString(ref reader); break;
                case WireNames.Index: index = reader.ReadInt32(); break;
                case WireNames.Text: text = ReadString(ref reader); break;
                case WireNames.Status: status = ReadString(ref reader); break;
                case WireNames.Value: value = JsonNodeMessagePack.Read(ref reader, ItemChildDepth); hasValue = true; break;
                case WireNames.Error: error = ReadError(ref reader); hasError = true; break;
                case WireNames.ToolCalls: toolCalls = reader.ReadInt32(); break;
                case WireNames.DurationMs: durationMs = ReadNumber(ref reader); break;
                case WireNames.Logs: logs = ReadLogs(ref reader); break;
                case WireNames.Warnings: warnings = ReadWarnings(ref reader); break;
                case WireNames.Calls: calls = reader.TryReadNil() ? null : ReadCalls(ref reader); break;
                case WireNames.PartialResults: partialResults = reader.TryReadNil() ? null : ReadPartialResults(ref reader); break;
                case WireNames.PartialResultsTruncated: partialResultsTruncated = reader.TryReadNil() ? null : reader.ReadBoolean(); break;
                case WireNames.DroppedLogs: droppedLogs = reader.TryReadNil() ? null : reader.ReadInt32(); break;
                case WireNames.DroppedProgress: droppedProgress = reader.TryReadNil() ? null : reader.ReadInt32(); break;
                case WireNames.Sha256: sha256 = reader.TryReadNil() ? null : ReadString(ref reader); break;
                case WireNames.Suspension: suspension = reader.TryReadNil() ? null : ReadSuspension(ref reader); break;
                default: JsonNodeMessagePack.Skip(ref reader, ItemChildDepth); break;
            }
        }

        return type switch
        {
            WireNames.TextType => WireMapper.FromWire(new TextLine(type, Required(index, WireNames.Index), Required(text, WireNames.Text))),
            WireNames.ScriptResultType => WireMapper.FromWire(new ScriptResultLine(
                type,
                Required(index, WireNames.Index),
                Required(status, WireNames.Status),
                hasValue ? value : throw Missing(WireNames.Value),
                hasError ? error : throw Missing(WireNames.Error),
                Required(toolCalls, WireNames.ToolCalls),
                Required(durationMs, WireNames.DurationMs),
                Required(logs, WireNames.Logs),
                Required(warnings, WireNames.Warnings),
                Calls: calls,
                PartialResults: partialResults,
                PartialResultsTruncated: partialResultsTruncated,
                DroppedLogs: droppedLogs,
                DroppedProgress: droppedProgress,
                Sha256: sha256,
                Suspension: suspension)),
            null => throw Missing(WireNames.Type),
            _ => throw new FormatException($"Unknown response item type '{type}'."),
        };
    }

    private static ErrorLine? ReadError(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var entry = ReadEntry(ref reader, ErrorChildDepth);
        return new ErrorLine(Required(entry.Code, WireNames.Code), Required(entry.Message, WireNames.Message), entry.Retryable, entry.Line, entry.Column, entry.Stack);
    }

    private static List<LogLine> ReadLogs(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var logs = new List<LogLine>(count);
        for (int i = 0; i < count; i++)
        {
            var entry = ReadEntry(ref reader, ListEntryChildDepth);
            logs.Add(new LogLine(Required(entry.Level, WireNames.Level), Required(entry.Message, WireNames.Message)));
        }

        return logs;
    }

    private static List<WarningLine> ReadWarnings(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var warnings = new List<WarningLine>(count);
        for (int i = 0; i < count; i++)
        {
            var entry = ReadEntry(ref reader, ListEntryChildDepth);
            warnings.Add(new WarningLine(Required(entry.Code, WireNames.Code), Required(entry.Message, WireNames.Message), entry.Line, entry.Column, entry.Stack));
        }

        return warnings;
    }

    private static List<CallLine> ReadCalls(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var calls = new List<CallLine>(count);
        for (int i = 0; i < count; i++)
        {
            var entry = ReadEntry(ref reader, ListEntryChildDepth);
            calls.Add(new CallLine(
                Required(entry.Id, WireNames.Id),
                Required(entry.Tool, WireNames.Tool),
                Required(entry.Status, WireNames.Status),
                Required(entry.Ms, WireNames.Ms),
                entry.Code));
        }

        return calls;
    }

    private static List<PartialResultLine> ReadPartialResults(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var results = new List<PartialResultLine>(count);
        for (int i = 0; i < count; i++)
        {
            var entry = ReadEntry(ref reader, ListEntryChildDepth);
            results.Add(new PartialResultLine(
                Required(entry.Id, WireNames.Id),
                Required(entry.Tool, WireNames.Tool),
                entry.HasResult ? entry.Result : throw Missing(WireNames.Result)));
        }

        return results;
    }

    // Errors, warnings, logs, calls and partial results are small maps drawn from one set of keys; each caller takes the ones it needs.
    private static Entry ReadEntry(ref MessagePackReader reader, int childDepth)
    {
        var entry = default(Entry);
        var keys = new KeySet();
        for (int i = reader.ReadMapHeader(); i > 0; i--)
        {
            switch (keys.Add(JsonNodeMessagePack.ReadKey(ref reader)))
            {
                case WireNames.Code: entry.Code = reader.TryReadNil() ? null : ReadString(ref reader); break;
                case WireNames.Message: entry.Message = ReadString(ref reader); break;
                case WireNames.Level: entry.Level = ReadString(ref reader); break;
                case WireNames.Retryable: entry.Retryable = reader.ReadBoolean(); break;
                case WireNames.Line: entry.Line = reader.TryReadNil() ? null : reader.ReadInt32(); break;
                case WireNames.Column: entry.Column = reader.TryReadNil() ? null : reader.ReadInt32(); break;
                case WireNames.Stack: entry.Stack = reader.TryReadNil() ? null : ReadString(ref reader); break;
                case WireNames.Id: entry.Id = ReadString(ref reader); break;
                case WireNames.Tool: entry.Tool = ReadString(ref reader); break;
                case WireNames.Status: entry.Status = ReadString(ref reader); break;
                case WireNames.Ms: entry.Ms = ReadNumber(ref reader); break;
                case WireNames.Result: entry.Result = JsonNodeMessagePack.Read(ref reader, childDepth); entry.HasResult = true; break;
                default: JsonNodeMessagePack.Skip(ref reader, childDepth); break;
            }
        }

        return entry;
    }

    // ReadDouble reads every MessagePack number, integers included.
    private static double ReadNumber(ref MessagePackReader reader) => reader.ReadDouble();

    // ReadString returns null for nil; a required string must be a string.
    private static string ReadString(ref MessagePackReader reader) =>
        reader.ReadString() ?? throw new FormatException("Expected a string, found nil.");

    private static T Required<T>(T? value, string key) where T : class => value ?? throw Missing(key);

    private static T Required<T>(T? value, string key) where T : struct => value ?? throw Missing(key);

    private static FormatException Missing(string key) => new($"The required key '{key}' is missing.");

    /// <summary>Refuses a key seen before in the same map, as the JSON reader does.</summary>
    private sealed class KeySet
    {
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);

        public string Add(string key) => seen.Add(key) ? key : throw new FormatException($"The map key '{key}' appears twice.");
    }

    private struct Entry
    {
        public string? Code;
        public string? Message;
        public string? Level;
        public bool Retryable;
        public int? Line;
        public int? Column;
        public string? Stack;
        public string? Id;
        public string? Tool;
        public string? Status;
        public double? Ms;
        public JsonNode? Result;
        public bool HasResult;
    }
}
