using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using ScriptHarness.Serialization;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// Host JSON (a tool's result, the context) into the engine as deeply frozen plain objects and arrays, built
/// directly: no JSON text, no <c>JSON.parse</c>, no freezing walk in JavaScript.
/// </summary>
internal sealed class JsonToJs(Engine engine)
{
    /// <summary>As deep as System.Text.Json writes a node (its default), so a result the host could not serialize fails the same way.</summary>
    public const int MaxDepth = 64;

    // The text only travels to JsonDocument.Parse, so nothing needs HTML-safe escaping.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        MaxDepth = MaxDepth,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsString Length = JsString.Create("length");

    // Read-only, enumerable, not configurable, and no value: applied to an element that exists, it changes only its flags.
    private static readonly PropertyDescriptor ReadOnlyElement = new(null, writable: false, enumerable: true, configurable: false);

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private Utf8JsonWriter? _writer;

    /// <summary>The frozen value of <paramref name="node"/>; throws <see cref="JsonException"/> for what JSON cannot hold.</summary>
    /// <remarks>
    /// An object or array is written to UTF-8 and read back as a <see cref="JsonDocument"/>: walking a
    /// <see cref="JsonNode"/> tree materialises a node per member, which costs more than the round trip
    /// (about 2.3× for a 1 KB result).
    /// </remarks>
    public JsValue Convert(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonValue value:
                return Value(value);
            default:
                using (var document = Parse(node))
                {
                    return Element(document.RootElement, 0);
                }
        }
    }

    /// <summary>A frozen plain object with the members of <paramref name="node"/> and then <paramref name="extra"/>.</summary>
    public ObjectInstance ConvertObject(JsonObject node, params ReadOnlySpan<KeyValuePair<string, JsValue>> extra)
    {
        JsObject obj;
        using (var document = Parse(node))
        {
            obj = Members(document.RootElement, 0);
        }

        foreach (var (name, value) in extra)
        {
            obj.FastSetProperty(name, new PropertyDescriptor(value, PropertyFlag.OnlyEnumerable));
        }

        obj.PreventExtensions();
        return obj;
    }

    // The node's JSON, to walk. One writer for every conversion, reset here: a node that failed to write (a CLR value
    // without a converter) may have left the last one halfway.
    private JsonDocument Parse(JsonNode node)
    {
        _buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(_buffer, WriterOptions);
        writer.Reset(_buffer);
        node.WriteTo(writer);
        writer.Flush();
        return JsonDocument.Parse(_buffer.WrittenMemory);
    }

    // A JsonValue holds either a JsonElement (parsed JSON) or a CLR value a handler put there.
    private JsValue Value(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return Element(element, 0);
        }

        if (value.TryGetValue<string>(out var text))
        {
            // As the JSON writer does for strings inside objects: a lone surrogate arrives as U+FFFD.
            return new JsString(LoneSurrogates.Repair(text));
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag ? JsBoolean.True : JsBoolean.False;
        }

        if (value.TryGetValue<double>(out var number))
        {
            return JsNumber.Create(number);
        }

        if (value.TryGetValue<int>(out var integer))
        {
            return JsNumber.Create(integer);
        }

        if (value.TryGetValue<long>(out var big))
        {
            return JsNumber.Create(big);
        }

        // Any other CLR value (a Guid, a record, a decimal): exactly the JSON System.Text.Json writes for it.
        using var document = Parse(value);
        return Element(document.RootElement, 0);
    }

    private JsValue Element(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonException($"nested deeper than {MaxDepth} levels");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = Members(element, depth);
                obj.PreventExtensions();
                return obj;
            case JsonValueKind.Array:
                var items = new JsValue[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i++] = Element(item, depth + 1);
                }

                return FrozenArray(items);
            case JsonValueKind.String:
                return new JsString(element.GetString()!);
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Number:
                // Out of double's range (1e400) is Infinity, as JSON.parse has it.
                return JsNumber.Create(element.TryGetDouble(out var number)
                    ? number
                    : double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));
            default:
                return JsValue.Null;
        }
    }

    // An object's read-only members, still extensible so a caller may add more before freezing it.
    private JsObject Members(JsonElement element, int depth)
    {
        var obj = new JsObject(engine);
        foreach (var property in element.EnumerateObject())
        {
            obj.FastSetProperty(property.Name, new PropertyDescriptor(Element(property.Value, depth + 1), PropertyFlag.OnlyEnumerable));
        }

        return obj;
    }

    // What Object.freeze leaves (elements enumerable and read-only, length read-only, not extensible), made directly:
    // the realm's freeze, called from the host, lists the keys and reads back and redefines every element through its
    // generic path (about a tenth of what a large result allocates).
    private JsArray FrozenArray(JsValue[] items)
    {
        var array = new JsArray(engine, items);
        for (uint i = 0; i < items.Length; i++)
        {
            // No value: the element keeps its own and only its flags change, in place. The first call moves the elements
            // to Jint's sparse storage (a descriptor each, what a read-only element needs); after that nothing is made
            // per element, where a descriptor per call doubled what a large result allocated.
            array.DefineOwnProperty(i, ReadOnlyElement);
        }

        array.DefineOwnProperty(Length, new PropertyDescriptor(JsNumber.Create(items.Length), PropertyFlag.AllForbidden));
        array.PreventExtensions();
        return array;
    }
}
