using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace ScriptHarness.Serialization;

// MessagePack → JSON. Every container is checked against WireLimits.MaxDepth before it is read.
internal static partial class JsonNodeMessagePack
{
    // Numbers come back as parsed JSON numbers, so they read as any numeric type exactly like a value parsed from
    // the JSON Lines form (a long-backed JsonValue would refuse GetValue<int>()).
    private static JsonNode Number(string text) => JsonNode.Parse(text)!;

    /// <summary>Reads one value; a container here would sit at <paramref name="depth"/>.</summary>
    /// <exception cref="FormatException">Too deep, a non-string map key, a duplicate key, a non-finite float, or a
    /// MessagePack type with no JSON equivalent (binary, an extension other than a number's JSON text).</exception>
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
                return Number(u.ToString(CultureInfo.InvariantCulture));
            case MessagePackType.Integer:
                return Number(reader.ReadInt64().ToString(CultureInfo.InvariantCulture));
            case MessagePackType.Float:
                double d = reader.ReadDouble();
                return double.IsFinite(d) ? Number(d.ToString("R", CultureInfo.InvariantCulture)) : throw new FormatException($"The float {d} has no JSON form.");
            case MessagePackType.String:
                return JsonValue.Create(reader.ReadString());
            case MessagePackType.Extension:
                return ReadNumberExtension(ref reader);
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

    // A number float64 cannot hold, written as its JSON text; anything else in an extension is refused.
    private static JsonNode ReadNumberExtension(ref MessagePackReader reader)
    {
        ExtensionHeader header = reader.ReadExtensionFormatHeader();
        if (header.TypeCode != NumberExtension)
        {
            throw new FormatException($"MessagePack Extension has no JSON equivalent (type {header.TypeCode}; only type {NumberExtension}, a number's JSON text, is read).");
        }

        string text = Encoding.UTF8.GetString(reader.ReadRaw(header.Length));
        try
        {
            return JsonNode.Parse(text) is JsonValue value && value.GetValueKind() == JsonValueKind.Number
                ? value
                : throw new FormatException("A number extension must hold one JSON number.");
        }
        catch (JsonException e)
        {
            throw new FormatException("A number extension must hold one JSON number.", e);
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
}
