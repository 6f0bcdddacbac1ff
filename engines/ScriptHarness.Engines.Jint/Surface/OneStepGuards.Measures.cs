using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <content>Each measure: convert the inputs once, check, call the original with what was converted.</content>
internal sealed partial class OneStepGuards
{
    private JsValue Call(OneStepAllocator allocator, ObjectInstance original, JsValue thisObj, JsValue[] args)
    {
        CheckStack();
        var a0 = args.Length > 0 ? args[0] : JsValue.Undefined;
        var a1 = args.Length > 1 ? args[1] : JsValue.Undefined;
        switch (allocator.Measure)
        {
            case OneStepMeasure.Repeat when Coercible(thisObj):
            {
                var text = TypeConverter.ToString(thisObj);
                var count = TypeConverter.ToIntegerOrInfinity(a0);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length, count));
                return _engine.Call(original, text, [count]);
            }

            case OneStepMeasure.PadTarget when Coercible(thisObj):
            {
                var text = TypeConverter.ToString(thisObj);
                var target = (double)TypeConverter.ToLength(a0);
                // An empty filler leaves the string as it is, whatever the target.
                if (!(a1 is JsString { Length: 0 }))
                {
                    Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length, target));
                }

                return _engine.Call(original, text, [target, .. args.Skip(1)]);
            }

            case OneStepMeasure.SplitPieces when Coercible(thisObj) && a0 is not ObjectInstance:
            {
                // A separator object (a RegExp) splits through its own Symbol.split, which checks the budget as it goes.
                var text = TypeConverter.ToString(thisObj);
                var limit = a1.IsUndefined() ? uint.MaxValue : TypeConverter.ToUint32(a1);
                var separator = a0.IsUndefined() ? null : TypeConverter.ToString(a0);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length, separator?.Length ?? -1, limit));
                return _engine.Call(original, text, [separator is null ? JsValue.Undefined : separator, limit]);
            }

            case OneStepMeasure.Replacement when Coercible(thisObj) && a0 is not ObjectInstance && !a1.IsCallable():
            {
                var text = TypeConverter.ToString(thisObj);
                var search = TypeConverter.ToString(a0);
                var replacement = TypeConverter.ToString(a1);
                var all = allocator.Target.EndsWith(".replaceAll", StringComparison.Ordinal);
                var matches = search.Length == 0 ? (all ? text.Length + 1 : 1)
                    : all ? text.AsSpan().Count(search.AsSpan())
                    : text.Contains(search, StringComparison.Ordinal) ? 1 : 0;
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length, matches, replacement.Length, replacement.AsSpan().Count('$')));
                return _engine.Call(original, text, [search, replacement]);
            }

            case OneStepMeasure.ReceiverText when Coercible(thisObj):
            {
                var text = TypeConverter.ToString(thisObj);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length));
                return _engine.Call(original, text, args);
            }

            case OneStepMeasure.ArgumentText:
            {
                var text = TypeConverter.ToString(a0);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length));
                return _engine.Call(original, thisObj, [text]);
            }

            case OneStepMeasure.JsonValues:
            {
                var text = TypeConverter.ToString(a0);
                var containers = text.AsSpan().Count('[') + text.AsSpan().Count('{');
                Check(allocator, OneStepAllocators.Units(allocator.Measure, text.Length, containers));
                return _engine.Call(original, thisObj, [text, .. args.Skip(1)]);
            }

            // toLocaleString takes locales, not a separator; a typed array's elements write a character at least.
            case OneStepMeasure.Join when allocator.Target.EndsWith(".toLocaleString", StringComparison.Ordinal) && LengthOf(thisObj) is { } length:
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length, 1, 0));
                break;

            case OneStepMeasure.Join when thisObj is JsTypedArray typedArray:
            {
                var separator = a0.IsUndefined() ? "," : TypeConverter.ToString(a0);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, typedArray.Length, separator.Length, typedArray.Length));
                return _engine.Call(original, thisObj, [separator]);
            }

            // Arrays only: their length has no getter, so reading it here and again in the original is not observable.
            case OneStepMeasure.Join when thisObj is JsArray array:
                return Join(allocator, array, a0.IsUndefined() ? "," : TypeConverter.ToString(a0));

            case OneStepMeasure.Join when LengthOf(thisObj) is { } length:
            {
                var separator = a0.IsUndefined() ? "," : TypeConverter.ToString(a0);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length, separator.Length, 0));
                return _engine.Call(original, thisObj, [separator]);
            }

            case OneStepMeasure.FillRange when thisObj is not JsString && LengthOf(thisObj) is { } length:
            {
                var start = Relative(TypeConverter.ToIntegerOrInfinity(a1), length, 0);
                var end = Relative(args.Length > 2 && !args[2].IsUndefined() ? TypeConverter.ToIntegerOrInfinity(args[2]) : length, length, length);
                Check(allocator, OneStepAllocators.Units(allocator.Measure, start, end));
                return _engine.Call(original, thisObj, [a0, start, end]);
            }

            case OneStepMeasure.ReceiverElements when thisObj is not JsString && LengthOf(thisObj) is { } length:
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length));
                break;

            case OneStepMeasure.ArgumentElements when LengthOf(a0) is { } length:
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length));
                break;

            case OneStepMeasure.OwnKeys when a0 is JsArray or JsTypedArray && LengthOf(a0) is { } length:
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length));
                break;

            case OneStepMeasure.RawLiterals when a0 is JsObject site && site.GetOwnProperty("raw") is { } raw
                && raw != PropertyDescriptor.Undefined && raw.IsDataDescriptor() && LengthOf(raw.Value) is { } length:
                Check(allocator, OneStepAllocators.Units(allocator.Measure, length));
                break;

            case OneStepMeasure.JsonText:
                return Stringify(allocator, original, thisObj, args);

            case OneStepMeasure.BufferBytes when !a0.IsUndefined():
            {
                // A negative length is the original's RangeError to throw.
                var bytes = Math.Max(0, TypeConverter.ToIntegerOrInfinity(a0));
                Check(allocator, OneStepAllocators.Units(allocator.Measure, bytes));
                return _engine.Call(original, thisObj, [bytes, .. args.Skip(1)]);
            }
        }

        return _engine.Call(original, thisObj, args);
    }

    /// <summary>
    /// <c>Array.prototype.join</c> on an array, as the original does it (each element read and converted once, in order,
    /// nulls as empty, an array already being joined as empty), but sized before the text is made: the elements'
    /// text may be one string referenced a hundred thousand times.
    /// </summary>
    private JsValue Join(OneStepAllocator allocator, JsArray array, string separator)
    {
        var length = array.Length;
        var budget = _memory.RemainingBytes;
        Check(allocator, OneStepAllocators.Units(allocator.Measure, length, separator.Length, 0));
        if (length == 0 || !(_joining ??= new HashSet<JsArray>(ReferenceEqualityComparer.Instance)).Add(array))
        {
            return JsString.Empty;
        }

        try
        {
            var parts = new string[length];
            var chars = 0d;
            for (uint i = 0; i < length; i++)
            {
                var element = array.Get(i);
                var text = element.IsNull() || element.IsUndefined() ? string.Empty : TypeConverter.ToString(element);
                chars += text.Length;
                if (!OneStepAllocators.Fits(allocator, OneStepAllocators.Units(allocator.Measure, length, separator.Length, chars), budget))
                {
                    Check(allocator, OneStepAllocators.Units(allocator.Measure, length, separator.Length, chars));
                }

                parts[i] = text;
            }

            return string.Join(separator, parts);
        }
        finally
        {
            _joining!.Remove(array);
        }
    }

    /// <summary>The element count a constructor call of a typed array or ArrayBuffer makes, before it makes it.</summary>
    private void CheckConstruct(OneStepAllocator allocator, JsValue[] args)
    {
        var a0 = args.Length > 0 ? args[0] : JsValue.Undefined;
        double units;
        if (a0 is ObjectInstance obj)
        {
            // A buffer is viewed, not copied; an array or typed array is copied element by element.
            units = obj is JsArrayBuffer ? 0 : LengthOf(obj) ?? 0;
        }
        else
        {
            units = Math.Max(0, TypeConverter.ToIntegerOrInfinity(a0));
        }

        Check(allocator, OneStepAllocators.Units(allocator.Measure, units));
    }

    /// <summary>
    /// The length of a string, array, typed array, or plain object with a <c>length</c> data property, read without
    /// running script code (no getter, no proxy trap, no <c>valueOf</c>); null for anything else.
    /// </summary>
    private static double? LengthOf(JsValue value)
    {
        switch (value)
        {
            case JsString s:
                return s.Length;
            case JsArray a:
                return a.Length;
            case JsTypedArray t:
                return t.Length;
            case JsObject o:
                var length = o.GetOwnProperty("length");
                return length != PropertyDescriptor.Undefined && length.IsDataDescriptor() && length.Value is JsNumber n
                    ? TypeConverter.ToLength(n)
                    : null;
            default:
                return null;
        }
    }

    private static double Relative(double relative, double length, double fallback) =>
        double.IsNaN(relative) ? fallback
        : relative < 0 ? Math.Max(length + relative, 0)
        : Math.Min(relative, length);

    // null and undefined: the original throws its own TypeError; nothing to measure.
    private static bool Coercible(JsValue value) => !value.IsNull() && !value.IsUndefined();

    /// <summary>
    /// Replaces the ArrayBuffer and typed array constructors (globals and each prototype's <c>constructor</c>) with
    /// proxies that check a construction before it allocates, and guards the buffer methods that allocate. Returns the
    /// guard for the global <paramref name="name"/>.
    /// </summary>
    private JsValue? GuardBuffers(string name)
    {
        if (_bufferGuards is null)
        {
            _bufferGuards = new Dictionary<string, JsValue>(StringComparer.Ordinal);
            var proxyConstructor = _proxy;
            for (var index = BufferStart; index < LazyGlobalNames.Length; index++)
            {
                var global = LazyGlobalNames[index];
                if (_originals[index] is not { } original || original.Value is not Constructor target || proxyConstructor is null || OneStepAllocators.Find(global) is not { } allocator)
                {
                    continue;
                }

                var handler = new JsObject(_engine);
                handler.FastSetProperty("construct", new PropertyDescriptor(new ClrFunction(_engine, "construct", (_, trap) =>
                {
                    var list = trap.Length > 1 && trap[1] is JsArray given ? [.. given] : Array.Empty<JsValue>();
                    CheckConstruct(allocator, list);
                    return target.Construct(list, trap.Length > 2 ? trap[2] : target);
                }), PropertyFlag.AllForbidden));
                var proxy = proxyConstructor.Construct([target, handler], proxyConstructor);
                _bufferGuards[global] = proxy;
                if (target.Get("prototype") is ObjectInstance prototype)
                {
                    prototype.FastSetProperty("constructor", new PropertyDescriptor(proxy, PropertyFlag.Configurable | PropertyFlag.Writable));
                }

                if (global == "ArrayBuffer")
                {
                    GuardOwned(target.Get("prototype"), "ArrayBuffer.prototype");
                }
                else if (global == "Int8Array" && target.Prototype is ObjectInstance typedArray)
                {
                    GuardOwned(typedArray.Get("prototype"), "%TypedArray%.prototype");
                }

                if (global != name && StillLazy(index))
                {
                    _engine.Global.FastSetProperty(global, new PropertyDescriptor(proxy, PropertyFlag.Configurable | PropertyFlag.Writable));
                }
            }
        }

        return _bufferGuards.TryGetValue(name, out var guard) ? guard : null;
    }
}
