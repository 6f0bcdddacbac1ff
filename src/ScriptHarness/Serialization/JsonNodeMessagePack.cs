using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace ScriptHarness.Serialization;

/// <summary>
/// Converts JSON values to MessagePack and back by hand: object ↔ map (string keys), array ↔ array, string,
/// bool, null ↔ nil, and numbers as integers when integral and within 64 bits, else float64.
/// </summary>
internal static class JsonNodeMessagePack
{
    // 2^63 as a double; (long)d is exact for integral d in [-2^63, 2^63).
    private const double TwoPow63 = 9223372036854775808.0;

    /// <summary>Writes <paramref name="node"/>; the caller has bounded its depth (<see cref="WireLimits"/>).</summary>
    /// <exception cref="ArgumentException">A number is outside the float64 range.</exception>
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

    /// <summary>Reads one value; a container here would sit at <paramref name="depth"/>.</summary>
    /// <exception cref="FormatException">Too deep, a non-string map key, a duplicate key, a non-finite float, or a
    /// MessagePack type with no JSON equivalent (binary, extension).</exception>
    internal static JsonNode? Read(ref MessagePackReader reader, int depth)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                // Only uint64 can exceed long; keep it unsigned rather than wrap.
                ulong u = reader.ReadUInt64();
                return u > long.MaxValue ? JsonValue.Create(u) : JsonValue.Create((long)u);
            case MessagePackType.Integer:
                return JsonValue.Create(reader.ReadInt64());
            case MessagePackType.Float:
                double d = reader.ReadDouble();
                return double.IsFinite(d) ? JsonValue.Create(d) : throw new FormatException($"The float {d} has no JSON form.");
            case MessagePackType.String:
                return JsonValue.Create(reader.ReadString());
            case MessagePackType.Array:
                EnsureDepth(depth);
                var array = new JsonArray();
                for (int i = reader.ReadArrayHeader(); i > 0; i--)
                {
                    array.Add(Read(ref reader, depth + 1));
                }

                return array;
            case MessagePackType.Map:
                EnsureDepth(depth);
                var obj = new JsonObject();
                for (int i = reader.ReadMapHeader(); i > 0; i--)
                {
                    string key = ReadKey(ref reader);
                    JsonNode? child = Read(ref reader, depth + 1);
                    if (!obj.TryAdd(key, child))
                    {
                        throw new FormatException($"The map key '{key}' appears twice.");
                    }
                }

                return obj;
            default:
                throw new FormatException($"MessagePack {reader.NextMessagePackType} has no JSON equivalent.");
        }
    }

    /// <summary>Skips one value of an unknown key, with the same depth guard as <see cref="Read"/>.</summary>
    internal static void Skip(ref MessagePackReader reader, int depth)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                EnsureDepth(depth);
                for (int i = reader.ReadArrayHeader(); i > 0; i--)
                {
                    Skip(ref reader, depth + 1);
                }

                break;
            case MessagePackType.Map:
                EnsureDepth(depth);
                for (long i = 2L * reader.ReadMapHeader(); i > 0; i--)
                {
                    Skip(ref reader, depth + 1);
                }

                break;
            default:
                reader.Skip();
                break;
        }
    }

    /// <exception cref="FormatException">The next token is not a string.</exception>
    internal static string ReadKey(ref MessagePackReader reader) =>
        reader.NextMessagePackType == MessagePackType.String
            ? reader.ReadString()!
            : throw new FormatException($"Expected a string map key, found {reader.NextMessagePackType}.");

    /// <exception cref="FormatException">A container would sit deeper than <see cref="WireLimits.MaxDepth"/>.</exception>
    internal static void EnsureDepth(int depth)
    {
        if (depth > WireLimits.MaxDepth)
        {
            throw new FormatException($"Objects and arrays nest deeper than {WireLimits.MaxDepth} levels.");
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
            throw new ArgumentException($"The number {number.GetRawText()} is outside the float64 range MessagePack can carry.", "item");
        }
    }
}
