using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Serialization;

/// <summary>
/// Writes the wire records (<see cref="TextLine"/>, <see cref="ScriptResultLine"/>) by hand, in the property order and
/// with the omissions of <see cref="WireJsonContext"/>, which still reads them. The serializer's first use built its
/// metadata and JIT-compiled ~300 generic methods that ReadyToRun cannot precompile across assemblies (its property
/// infos over <c>bool</c>, <c>double</c>, <c>int?</c>, its converters for every primitive): tens of milliseconds of
/// every CLI start, before the first result line. A test holds both writers to the same bytes.
/// </summary>
internal static class WireLineWriter
{
    public static void Write(Utf8JsonWriter writer, TextLine line)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Type, line.Type);
        writer.WriteNumber(WireNames.Index, line.Index);
        writer.WriteString(WireNames.Text, line.Text);
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, ScriptResultLine line)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Type, line.Type);
        writer.WriteNumber(WireNames.Index, line.Index);
        writer.WriteString(WireNames.Status, line.Status);
        Node(writer, WireNames.Value, line.Value);
        writer.WritePropertyName(WireNames.Error);
        if (line.Error is { } error)
        {
            Write(writer, error);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteNumber(WireNames.ToolCalls, line.ToolCalls);
        writer.WriteNumber(WireNames.DurationMs, line.DurationMs);
        writer.WriteStartArray(WireNames.Logs);
        foreach (var log in line.Logs)
        {
            writer.WriteStartObject();
            writer.WriteString(WireNames.Level, log.Level);
            writer.WriteString(WireNames.Message, log.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray(WireNames.Warnings);
        foreach (var warning in line.Warnings)
        {
            writer.WriteStartObject();
            writer.WriteString(WireNames.Code, warning.Code);
            writer.WriteString(WireNames.Message, warning.Message);
            Position(writer, warning.Line, warning.Column, warning.Stack);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (line.Calls is { } calls)
        {
            writer.WriteStartArray(WireNames.Calls);
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString(WireNames.Id, call.Id);
                writer.WriteString(WireNames.Tool, call.Tool);
                writer.WriteString(WireNames.Status, call.Status);
                writer.WriteNumber(WireNames.Ms, call.Ms);
                if (call.Code is { } code)
                {
                    writer.WriteString(WireNames.Code, code);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (line.PartialResults is { } partial)
        {
            writer.WriteStartArray(WireNames.PartialResults);
            foreach (var entry in partial)
            {
                writer.WriteStartObject();
                writer.WriteString(WireNames.Id, entry.Id);
                writer.WriteString(WireNames.Tool, entry.Tool);
                Node(writer, WireNames.Result, entry.Result);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (line.PartialResultsTruncated is { } truncated)
        {
            writer.WriteBoolean(WireNames.PartialResultsTruncated, truncated);
        }

        if (line.DroppedLogs is { } droppedLogs)
        {
            writer.WriteNumber(WireNames.DroppedLogs, droppedLogs);
        }

        if (line.DroppedProgress is { } droppedProgress)
        {
            writer.WriteNumber(WireNames.DroppedProgress, droppedProgress);
        }

        if (line.Sha256 is { } sha)
        {
            writer.WriteString(WireNames.Sha256, sha);
        }

        if (line.Suspension is { } suspension)
        {
            writer.WriteStartObject(WireNames.Suspension);
            writer.WriteString(WireNames.Token, suspension.Token);
            writer.WriteString(WireNames.CallId, suspension.CallId);
            writer.WriteString(WireNames.Tool, suspension.Tool);
            Node(writer, WireNames.Arguments, suspension.Arguments);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, ErrorLine error)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Code, error.Code);
        writer.WriteString(WireNames.Message, error.Message);
        writer.WriteBoolean(WireNames.Retryable, error.Retryable);
        Position(writer, error.Line, error.Column, error.Stack);
        writer.WriteEndObject();
    }

    private static void Position(Utf8JsonWriter writer, int? line, int? column, string? stack)
    {
        if (line is { } l)
        {
            writer.WriteNumber(WireNames.Line, l);
        }

        if (column is { } c)
        {
            writer.WriteNumber(WireNames.Column, c);
        }

        if (stack is { } s)
        {
            writer.WriteString(WireNames.Stack, s);
        }
    }

    // Written whether null or not, as JsonIgnoreCondition.Never on the record asks (and as a resume record keeps it).
    internal static void Node(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
