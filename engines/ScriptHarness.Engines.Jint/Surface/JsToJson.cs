using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using JsonSerializer = Jint.Native.Json.JsonSerializer;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using ScriptHarness.Serialization;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// Tool arguments from the script to the host without a detour through JSON text inside the engine: the value is
/// walked with <c>JSON.stringify</c>'s rules (own enumerable string keys, getters and <c>toJSON</c> run,
/// <c>undefined</c> dropped from objects and nulled in arrays, non-finite numbers as null) straight into UTF-8, but
/// strictly: a function, symbol or BigInt anywhere is an error where <c>JSON.stringify</c> would drop it silently.
/// </summary>
/// <remarks>
/// Plain objects and arrays are walked here; any other object (a Proxy, a Map, a boxed primitive, an Error) is
/// written by Jint's own JSON serializer, so it gets exactly <c>JSON.stringify</c>'s result.
/// The walk runs under the script's limits: what it has written, with the tree the host will parse from it, is counted
/// against what is left of the memory budget as it goes, an array's length (a sparse array may claim 2³² − 1 elements)
/// and a long string before they are written, and the script's deadline is checked, so a huge argument ends the
/// script with <c>memory_limit</c> (naming the call it was for) or <c>timeout</c>, and never outlives it.
/// </remarks>
internal sealed class JsToJson(Engine engine, OneStepGuards guards)
{
    // What the host's parse makes per value, at least (a JsonNode); its text is counted as UTF-16 once more.
    private const int BytesPerNode = 32;

    // Strings and names longer than this are counted before they are written: one string may be referenced a
    // thousand times, and shorter ones are counted at the periodic check.
    private const int LongText = 1024;

    /// <summary>How deep arguments may nest: System.Text.Json's default, which the host parses them with.</summary>
    public const int MaxDepth = 64;

    private static readonly JsString ToJsonKey = new("toJSON");

    // The text only travels to JsonNode.Parse, so nothing needs HTML-safe escaping.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        MaxDepth = MaxDepth + 2,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly List<ObjectInstance> _stack = [];
    private ObjectInstance? _plainObjectPrototype;
    private ObjectInstance? _plainArrayPrototype;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private Utf8JsonWriter? _writer;
    private JsonSerializer? _fallback;
    private string? _error;
    private string _what = string.Empty;
    private long _values;

    /// <summary>
    /// The arguments as a node (null for <c>undefined</c>), or a message saying why they are not plain JSON.
    /// JavaScript errors thrown by getters or <c>toJSON</c> propagate, as do the engine's limits (time, memory).
    /// </summary>
    public JsonNode? Convert(JsValue value, string what, out string? error)
    {
        _what = what;
        error = null;
        if (value.IsUndefined())
        {
            return null;
        }

        Busy = true;
        try
        {
            return ConvertCore(value, out error);
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>True while converting: a getter that calls a tool re-enters, and needs a converter of its own.</summary>
    public bool Busy { get; private set; }

    private JsonNode? ConvertCore(JsValue value, out string? error)
    {
        error = null;
        _stack.Clear();
        _buffer.ResetWrittenCount();
        _error = null;
        _values = 0;

        // Plain objects and arrays on the intrinsic prototypes need only an own toJSON check, unless the script gave
        // the prototype one (checked once per conversion, not again if a getter adds it halfway through).
        var objectPrototype = engine.Intrinsics.Object.PrototypeObject;
        var arrayPrototype = engine.Intrinsics.Array.PrototypeObject;
        _plainObjectPrototype = objectPrototype.HasProperty(ToJsonKey) ? null : objectPrototype;
        _plainArrayPrototype = arrayPrototype.HasProperty(ToJsonKey) ? null : arrayPrototype;
        // One writer for every conversion (a tool call's bookkeeping is a few hundred bytes; a writer is a third of it),
        // reset here: a getter that threw may have left the last one halfway.
        var writer = _writer ??= new Utf8JsonWriter(_buffer, WriterOptions);
        writer.Reset(_buffer);
        if (!Write(writer, JsString.Empty, Resolve(JsString.Empty, value), 0))
        {
            error = _error;
            return null;
        }

        writer.Flush();

        guards.CheckBytes(_what, Needed(0));
        try
        {
            return JsonNode.Parse(_buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            // The host's parser counts depth its own way; its limit is the one tool handlers live with.
            error = TooDeep;
            return null;
        }
    }

    /// <summary>The message for arguments nested deeper than <see cref="MaxDepth"/>.</summary>
    public const string TooDeep = "nested too deeply (at most 64 levels)";

    /// <summary>
    /// The error for a string or key with a lone surrogate: the writer would turn it into U+FFFD silently, and a tool
    /// must get the text the script meant or a refusal.
    /// </summary>
    public const string LoneSurrogate = "lone surrogate";

    // JSON.stringify's SerializeJSONProperty before the type switch: toJSON.
    private JsValue Resolve(JsValue key, JsValue value)
    {
        if (value is ObjectInstance obj)
        {
            var prototype = obj.Prototype;
            if ((prototype == _plainObjectPrototype && prototype is not null && obj is JsObject)
                || (prototype == _plainArrayPrototype && prototype is not null && obj is JsArray))
            {
                var own = obj.GetOwnProperty(ToJsonKey);
                if (own == PropertyDescriptor.Undefined)
                {
                    return value;
                }
            }

            var toJson = obj.Get(ToJsonKey);
            if (toJson.IsCallable())
            {
                return engine.Call(toJson, value, [key]);
            }
        }

        return value;
    }

    // False (with _error set) when the value is not plain JSON.
    private bool Write(Utf8JsonWriter writer, JsValue key, JsValue value, int depth)
    {
        if (++_values % OneStepGuards.ConstraintCheckInterval == 0)
        {
            guards.CheckTime();
            guards.CheckBytes(_what, Needed(0));
        }

        switch (value.Type)
        {
            case Types.Undefined or Types.Null:
                writer.WriteNullValue();
                return true;
            case Types.Boolean:
                writer.WriteBooleanValue(value.AsBoolean());
                return true;
            case Types.String:
                var text = value.AsString();
                if (!LoneSurrogates.IsWellFormed(text))
                {
                    return Fail(LoneSurrogate);
                }

                if (text.Length > LongText)
                {
                    guards.CheckBytes(_what, Needed(text.Length));
                }

                writer.WriteStringValue(text);
                return true;
            case Types.Number:
                var number = value.AsNumber();
                if (number == Math.Floor(number) && Math.Abs(number) < 9007199254740992d)
                {
                    // Integers (most numbers in arguments) format far faster as longs.
                    writer.WriteNumberValue((long)number);
                }
                else if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteNullValue();
                }

                return true;
        }

        if (value.IsCallable() || value.IsSymbol() || value.IsBigInt())
        {
            var kind = value.IsCallable() ? "function" : value.IsSymbol() ? "symbol" : "bigint";
            return Fail($"a {kind} is not JSON (at \"{KeyText(key)}\")");
        }

        var obj = value.AsObject();
        if (depth >= MaxDepth)
        {
            return Fail(TooDeep);
        }

        foreach (var seen in _stack)
        {
            if (ReferenceEquals(seen, obj))
            {
                return Fail($"a cyclic structure is not JSON (at \"{KeyText(key)}\")");
            }
        }

        _stack.Add(obj);
        var ok = obj switch
        {
            JsArray array => WriteArray(writer, array, depth),
            JsObject => WriteObject(writer, obj, depth),
            _ => WriteExotic(writer, obj),
        };
        _stack.RemoveAt(_stack.Count - 1);
        return ok;
    }

    private bool WriteArray(Utf8JsonWriter writer, JsArray array, int depth)
    {
        var length = array.Length;
        // Each element writes a character and a comma at least: a sparse array's length alone can be gigabytes of text.
        guards.CheckBytes(_what, Needed(2d * length));
        writer.WriteStartArray();
        for (uint i = 0; i < length; i++)
        {
            var index = JsNumber.Create(i);
            if (!Write(writer, index, Resolve(index, array.Get(index)), depth + 1))
            {
                return false;
            }
        }

        writer.WriteEndArray();
        return true;
    }

    private bool WriteObject(Utf8JsonWriter writer, ObjectInstance obj, int depth)
    {
        writer.WriteStartObject();
        foreach (var name in obj.GetOwnPropertyKeys(Types.String))
        {
            var descriptor = obj.GetOwnProperty(name);
            if (descriptor == PropertyDescriptor.Undefined || !descriptor.Enumerable)
            {
                continue;
            }

            // A data property's value is at hand; only an accessor needs a call.
            var item = Resolve(name, descriptor.IsDataDescriptor() ? descriptor.Value : obj.Get(name));
            if (item.IsUndefined())
            {
                continue;
            }

            var nameText = name.AsString();
            if (!LoneSurrogates.IsWellFormed(nameText))
            {
                return Fail(LoneSurrogate);
            }

            if (nameText.Length > LongText)
            {
                guards.CheckBytes(_what, Needed(nameText.Length));
            }

            writer.WritePropertyName(nameText);
            if (!Write(writer, name, item, depth + 1))
            {
                return false;
            }
        }

        writer.WriteEndObject();
        return true;
    }

    // Exotic objects: exactly what JSON.stringify makes of them, counted as it writes (a typed array, a Proxy of a
    // sparse array), so the text is refused once it would not fit in what is left of the budget.
    private bool WriteExotic(Utf8JsonWriter writer, ObjectInstance obj)
    {
        var text = guards.Serialize(_fallback ??= new JsonSerializer(engine), obj, _what);
        if (text is not null)
        {
            if (!LoneSurrogates.IsWellFormedJson(text))
            {
                return Fail(LoneSurrogate);
            }

            writer.WriteRawValue(text, skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }

        return true;
    }

    // The bytes the arguments take once `more` characters are written: the text (at least a byte a character) twice,
    // as the host parses a copy of it, and a node for each value.
    private double Needed(double more) => (2d * (_buffer.WrittenCount + more)) + (BytesPerNode * (double)_values);

    private bool Fail(string message)
    {
        _error = message;
        return false;
    }


    private static string KeyText(JsValue key) => key.IsString() ? key.AsString() : key.ToString();
}
