using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace ScriptHarness.Serialization;

/// <summary>
/// Converts JSON values to MessagePack and back by hand: object ↔ map (string keys), array ↔ array, string,
/// bool, null ↔ nil, and numbers as integers when integral and within 64 bits, else float64; a number beyond float64
/// (<c>1e400</c>, which JSON can hold) as extension <see cref="NumberExtension"/> holding its JSON text, so every value
/// the JSON form carries, the binary form carries too. This part writes; JsonNodeMessagePack.Reader.cs reads and skips,
/// with the depth guard.
/// </summary>
internal static partial class JsonNodeMessagePack
{
    /// <summary>The extension type of a number float64 cannot hold: its JSON text in UTF-8 (ASCII).</summary>
    internal const sbyte NumberExtension = 1;

    // 2^63 as a double; (long)d is exact for integral d in [-2^63, 2^63).
    private const double TwoPow63 = 9223372036854775808.0;

    /// <summary>Writes <paramref name="node"/>; the caller has bounded its depth (<see cref="WireLimits"/>).</summary>
    internal static void Write(ref MessagePackWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNil();
                break;
            case JsonObject obj:
                writer.WriteMapHeader(obj.Count);
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    writer.Write(property.Key);
                    Write(ref writer, property.Value);
                }

                break;
            case JsonArray array:
                writer.WriteArrayHeader(array.Count);
                foreach (JsonNode? element in array)
                {
                    Write(ref writer, element);
                }

                break;
            case JsonValue value:
                WriteValue(ref writer, value);
                break;
        }
    }

    private static void WriteValue(ref MessagePackWriter writer, JsonValue value)
    {
        // Parsed JSON is backed by a JsonElement (the common case); other CLR-backed values take their JSON text.
        if (value.TryGetValue(out JsonElement element))
        {
            WriteElement(ref writer, element);
            return;
        }

        using JsonDocument document = JsonDocument.Parse(value.ToJsonString());
        WriteElement(ref writer, document.RootElement);
    }

    private static void WriteElement(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.Write(element.GetBoolean());
                break;
            case JsonValueKind.Number:
                WriteNumber(ref writer, element);
                break;
            case JsonValueKind.Object:
                // Only reached for a JsonValue that wraps a whole object or array element.
                writer.WriteMapHeader(element.GetPropertyCount());
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteElement(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteElement(ref writer, item);
                }

                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, JsonElement number)
    {
        if (number.TryGetInt64(out long l))
        {
            writer.Write(l);
        }
        else if (number.TryGetUInt64(out ulong u))
        {
            writer.Write(u);
        }
        else if (number.TryGetDouble(out double d) && double.IsFinite(d))
        {
            // 1.0 or 1e3 are integral: write them as integers like the rest.
            if (d == Math.Floor(d) && d >= -TwoPow63 && d < TwoPow63)
            {
                writer.Write((long)d);
            }
            else
            {
                writer.Write(d);
            }
        }
        else
        {
            // Beyond float64 (1e400): the JSON text itself, which the reader turns back into the same JSON number.
            writer.WriteExtensionFormat(new ExtensionResult(NumberExtension, Encoding.UTF8.GetBytes(number.GetRawText())));
        }
    }
}
