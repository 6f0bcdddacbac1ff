using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <content>
/// <c>JSON.stringify</c>: the text it writes cannot be known up front (a string referenced a hundred thousand times,
/// a <c>toJSON</c>), so the original runs with a replacer of the guard's that counts each value as the serializer
/// writes it and refuses once the count passes the budget. A replacer function of the script's is called by it, in
/// the same order with the same arguments; a property list (an array replacer) is applied by it too, as the
/// serializer would (each listed key read once, in the list's order), since an engine takes one or the other.
/// </content>
internal sealed partial class OneStepGuards
{
    /// <summary>Values written between two checks of the script's deadline (<see cref="CheckTime"/>).</summary>
    public const int ConstraintCheckInterval = 1024;

    private JsValue Stringify(OneStepAllocator allocator, ObjectInstance original, JsValue thisObj, JsValue[] args) =>
        Counting(args, chars => Check(allocator, chars), (value, replacer, space) => _engine.Call(original, thisObj, [value, replacer, space]));

    /// <summary>
    /// The JSON text of <paramref name="value"/> as <c>JSON.stringify</c> writes it (null for what it drops), written by
    /// <paramref name="serializer"/> under the same count: <paramref name="what"/> is refused with <c>memory_limit</c>
    /// once its text passes what is left of the budget. For the host's own serializing (return value, console).
    /// </summary>
    /// <remarks>
    /// A value nested past the stack budget fails as Jint's own stack guard would fail it (an error with its message, which
    /// the return value and the console turn into their documented results), only at the budget's depth rather than at
    /// the end of the thread's stack.
    /// </remarks>
    public string? Serialize(JsonSerializer serializer, JsValue value, string what)
    {
        JsValue text;
        try
        {
            text = Counting([value], chars => CheckBytes(what, chars * 2), serializer.Serialize);
        }
        catch (ScriptStackExceededException)
        {
            throw new JavaScriptException(_engine.Intrinsics.Error, "Maximum call stack size exceeded");
        }

        return text.IsString() ? text.AsString() : null;
    }

    private JsValue Counting(JsValue[] args, Action<double> check, Func<JsValue, JsValue, JsValue, JsValue> serialize)
    {
        var value = args.Length > 0 ? args[0] : JsValue.Undefined;
        var replacer = args.Length > 1 ? args[1] : JsValue.Undefined;
        var space = args.Length > 2 ? args[2] : JsValue.Undefined;
        var function = replacer.IsCallable() ? replacer : null;
        var keys = function is null && replacer is JsArray list ? PropertyList(list) : null;
        var indent = space switch
        {
            JsNumber n => Math.Clamp(TypeConverter.ToIntegerOrInfinity(n), 0, 10),
            JsString s => Math.Min(s.Length, 10),
            _ => 0,
        };
        var budget = _memory.RemainingBytes;
        var units = 0d;
        var calls = 0L;
        var counting = new ClrFunction(_engine, string.Empty, (holder, kv) =>
        {
            CheckStack();
            var key = kv.Length > 0 ? kv[0] : JsValue.Undefined;
            var item = kv.Length > 1 ? kv[1] : JsValue.Undefined;
            if (function is not null)
            {
                item = _engine.Call(function, holder, [key, item]);
            }
            else if (keys is not null && item is ObjectInstance obj and not JsArray && !obj.IsCallable() && !IsProxiedArray(obj))
            {
                item = Pick(obj, keys);
            }

            // A typed array is written key by key (at least "0":0, each): counted before the serializer lists its keys.
            units += Written(holder, key, item) + indent + (item is JsTypedArray typed ? typed.Length * 4d : 0);
            if (units * 2 > budget)
            {
                check(units);
            }

            if (++calls % ConstraintCheckInterval == 0)
            {
                CheckTime();
            }

            return item;
        }, 2);
        return serialize(value, counting, space);
    }

    // The characters a value adds at least: its key (an element's comma is counted with its array), its own text, and
    // for an array a character per element, counted before the serializer walks its holes. An array behind a Proxy
    // (which only Array.isArray tells) has its length read once more here, as V8's guard does: otherwise its 2³² − 1
    // holes would be counted one call at a time.
    private double Written(JsValue holder, JsValue key, JsValue value)
    {
        var keyChars = holder is JsArray || IsProxiedArray(holder) ? 0 : (key is JsString k ? k.Length : 0) + 3;
        var valueChars = value switch
        {
            JsString s => s.Length + 2,
            JsNumber => 1,
            JsBoolean => 4,
            JsArray a => 2d + a.Length,
            ObjectInstance o when IsProxiedArray(o) => 2d + TypeConverter.ToLength(o.Get("length")),
            _ when value.IsNull() || value.IsUndefined() => 4,
            _ => 2,
        };
        return keyChars + valueChars;
    }

    // Plain objects, arrays and the other built-in kinds are told by their type; anything else may be a Proxy.
    private bool IsProxiedArray(JsValue value) =>
        value is ObjectInstance and not (JsObject or JsArray or JsTypedArray or Function)
        && TypeConverter.ToBoolean(_engine.Call(_isArray, JsValue.Undefined, [value]));

    // The spec's PropertyList: strings and numbers, each once, in order (String and Number wrapper objects in the list,
    // which Jint gives no public way to tell apart, are left out).
    private static List<string> PropertyList(JsArray list)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (uint i = 0; i < list.Length; i++)
        {
            var item = list.Get(i);
            string? name = item switch
            {
                JsString s => s.ToString(),
                JsNumber => TypeConverter.ToString(item),
                _ => null,
            };
            if (name is not null && seen.Add(name))
            {
                keys.Add(name);
            }
        }

        return keys;
    }

    // What the serializer writes of an object under a property list: the listed keys it has, in the list's order.
    private JsValue Pick(ObjectInstance source, List<string> keys)
    {
        var copy = _engine.Intrinsics.Object.Construct(Array.Empty<JsValue>());
        foreach (var key in keys)
        {
            var item = source.Get(key);
            if (!item.IsUndefined())
            {
                copy.FastSetProperty(key, new PropertyDescriptor(item, PropertyFlag.ConfigurableEnumerableWritable));
            }
        }

        return copy;
    }
}
