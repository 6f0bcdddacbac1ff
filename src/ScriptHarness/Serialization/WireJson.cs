using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScriptHarness.Serialization;

/// <summary>Writes one response item as a JSON object (<see cref="WireLineWriter"/>) and reads one with the source-generated wire metadata.</summary>
internal static class WireJson
{
    /// <summary>
    /// Text stays as the model and the tools wrote it, as Microsoft.Extensions.AI writes JSON for models: non-ASCII
    /// text, backticks, quotes and the HTML-sensitive characters are written as they are (a Markdown reply is full of
    /// backticks, and every <c>\u0060</c> costs a model tokens). Only what JSON itself requires is escaped (<c>"</c>,
    /// <c>\</c>, control characters), plus characters outside the basic plane (emoji), so the line stays valid JSON.
    /// Lines are data for programs and models, not HTML: a host that embeds one in a page escapes it there.
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = WireLimits.MaxDepth,
    };

    // Duplicate keys are refused up front: a JsonObject built from them would throw later, on first access.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = WireLimits.MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Writes <paramref name="item"/> as one compact JSON object and flushes the writer.</summary>
    internal static void Write(Utf8JsonWriter writer, ResponseItem item)
    {
        switch (item)
        {
            case TextItem text:
                WireLineWriter.Write(writer, WireMapper.ToWire(text));
                break;
            case ScriptResultItem script:
                WireLineWriter.Write(writer, WireMapper.ToWire(script));
                break;
            default:
                throw WireMapper.UnknownItem(item);
        }

        writer.Flush();
    }

    /// <exception cref="FormatException">The line is not a valid response item.</exception>
    internal static ResponseItem Read(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, DocumentOptions);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(WireNames.Type, out JsonElement type)
                || type.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("A response item must be a JSON object with a string \"type\".");
            }

            // The document is disposed on return: the deserialized lines copy everything they keep.
            return type.GetString() switch
            {
                WireNames.TextType => WireMapper.FromWire(root.Deserialize(WireJsonContext.Default.TextLine)!),
                WireNames.ScriptResultType => WireMapper.FromWire(root.Deserialize(WireJsonContext.Default.ScriptResultLine)!),
                var other => throw new FormatException($"Unknown response item type '{other}'."),
            };
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a valid response item: {e.Message}", e);
        }
    }
}
