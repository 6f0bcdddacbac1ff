using System.Buffers;
using MessagePack;

namespace ScriptHarness.Serialization;

/// <summary>Writes a response item as one MessagePack map with the same keys and rules as the JSON line.</summary>
internal static class MessagePackLineWriter
{
    /// <exception cref="ArgumentException">The item is of an unknown kind or its value cannot be carried.</exception>
    internal static void Write(IBufferWriter<byte> buffer, ResponseItem item)
    {
        var writer = new MessagePackWriter(buffer);
        switch (item)
        {
            case TextItem text:
                Write(ref writer, WireMapper.ToWire(text));
                break;
            case ScriptResultItem script:
                Write(ref writer, WireMapper.ToWire(script));
                break;
            default:
                throw WireMapper.UnknownItem(item);
        }

        writer.Flush();
    }

    private static void Write(ref MessagePackWriter writer, TextLine line)
    {
        writer.WriteMapHeader(3);
        writer.Write(WireNames.Type);
        writer.Write(line.Type);
        writer.Write(WireNames.Index);
        writer.Write(line.Index);
        writer.Write(WireNames.Text);
        writer.Write(line.Text);
    }

    private static void Write(ref MessagePackWriter writer, ScriptResultLine line)
    {
        writer.WriteMapHeader(9 + Count(line.Calls) + Count(line.PartialResults) + Count(line.PartialResultsTruncated)
            + Count(line.DroppedLogs) + Count(line.DroppedProgress) + Count(line.Sha256) + Count(line.Suspension));
        writer.Write(WireNames.Type);
        writer.Write(line.Type);
        writer.Write(WireNames.Index);
        writer.Write(line.Index);
        writer.Write(WireNames.Status);
        writer.Write(line.Status);
        writer.Write(WireNames.Value);
        JsonNodeMessagePack.Write(ref writer, line.Value);
        writer.Write(WireNames.Error);
        WriteError(ref writer, line.Error);
        writer.Write(WireNames.ToolCalls);
        writer.Write(line.ToolCalls);
        writer.Write(WireNames.DurationMs);
        writer.Write(line.DurationMs);

        writer.Write(WireNames.Logs);
        writer.WriteArrayHeader(line.Logs.Count);
        foreach (LogLine log in line.Logs)
        {
            writer.WriteMapHeader(2);
            writer.Write(WireNames.Level);
            writer.Write(log.Level);
            writer.Write(WireNames.Message);
            writer.Write(log.Message);
        }

        writer.Write(WireNames.Warnings);
        writer.WriteArrayHeader(line.Warnings.Count);
        foreach (WarningLine warning in line.Warnings)
        {
            writer.WriteMapHeader(2 + Count(warning.Line) + Count(warning.Column) + Count(warning.Stack));
            writer.Write(WireNames.Code);
            writer.Write(warning.Code);
            writer.Write(WireNames.Message);
            writer.Write(warning.Message);
            WritePosition(ref writer, warning.Line, warning.Column, warning.Stack);
        }

        // Null only for a line the mapper did not build: left out, as the JSON form leaves it out.
        if (line.Calls is { } calls)
        {
            writer.Write(WireNames.Calls);
            WriteCalls(ref writer, calls);
        }

        if (line.PartialResults is { } partialResults)
        {
            writer.Write(WireNames.PartialResults);
            WritePartialResults(ref writer, partialResults);
        }

        if (line.PartialResultsTruncated is { } truncated)
        {
            writer.Write(WireNames.PartialResultsTruncated);
            writer.Write(truncated);
        }

        WriteOptional(ref writer, WireNames.DroppedLogs, line.DroppedLogs);
        WriteOptional(ref writer, WireNames.DroppedProgress, line.DroppedProgress);
        if (line.Sha256 is { } sha256)
        {
            writer.Write(WireNames.Sha256);
            writer.Write(sha256);
        }

        if (line.Suspension is { } suspension)
        {
            writer.Write(WireNames.Suspension);
            writer.WriteMapHeader(4);
            writer.Write(WireNames.Token);
            writer.Write(suspension.Token);
            writer.Write(WireNames.CallId);
            writer.Write(suspension.CallId);
            writer.Write(WireNames.Tool);
            writer.Write(suspension.Tool);
            writer.Write(WireNames.Arguments);
            JsonNodeMessagePack.Write(ref writer, suspension.Arguments);
        }
    }

    private static void WriteCalls(ref MessagePackWriter writer, IReadOnlyList<CallLine> calls)
    {
        writer.WriteArrayHeader(calls.Count);
        foreach (CallLine call in calls)
        {
            writer.WriteMapHeader(4 + Count(call.Code));
            writer.Write(WireNames.Id);
            writer.Write(call.Id);
            writer.Write(WireNames.Tool);
            writer.Write(call.Tool);
            writer.Write(WireNames.Status);
            writer.Write(call.Status);
            writer.Write(WireNames.Ms);
            writer.Write(call.Ms);
            if (call.Code is { } code)
            {
                writer.Write(WireNames.Code);
                writer.Write(code);
            }
        }
    }

    private static void WritePartialResults(ref MessagePackWriter writer, IReadOnlyList<PartialResultLine> partialResults)
    {
        writer.WriteArrayHeader(partialResults.Count);
        foreach (PartialResultLine result in partialResults)
        {
            writer.WriteMapHeader(3);
            writer.Write(WireNames.Id);
            writer.Write(result.Id);
            writer.Write(WireNames.Tool);
            writer.Write(result.Tool);
            writer.Write(WireNames.Result);
            JsonNodeMessagePack.Write(ref writer, result.Result);
        }
    }

    private static void WriteError(ref MessagePackWriter writer, ErrorLine? error)
    {
        if (error is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(3 + Count(error.Line) + Count(error.Column) + Count(error.Stack));
        writer.Write(WireNames.Code);
        writer.Write(error.Code);
        writer.Write(WireNames.Message);
        writer.Write(error.Message);
        writer.Write(WireNames.Retryable);
        writer.Write(error.Retryable);
        WritePosition(ref writer, error.Line, error.Column, error.Stack);
    }

    private static void WritePosition(ref MessagePackWriter writer, int? line, int? column, string? stack)
    {
        WriteOptional(ref writer, WireNames.Line, line);
        WriteOptional(ref writer, WireNames.Column, column);
        if (stack is not null)
        {
            writer.Write(WireNames.Stack);
            writer.Write(stack);
        }
    }

    private static void WriteOptional(ref MessagePackWriter writer, string key, int? value)
    {
        if (value is { } v)
        {
            writer.Write(key);
            writer.Write(v);
        }
    }

    // Optional keys are omitted when null, exactly as in the JSON form.
    private static int Count(int? optional) => optional.HasValue ? 1 : 0;

    private static int Count(bool? optional) => optional.HasValue ? 1 : 0;

    private static int Count(object? optional) => optional is null ? 0 : 1;
}
