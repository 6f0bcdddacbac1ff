using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// Puts a size check in front of every one-step allocator of <see cref="OneStepAllocators.All"/> in a fresh realm,
/// before any script code runs: Jint's budget (<see cref="ScriptMemoryConstraint"/>) sees an allocation only after it
/// was made, and <c>'x'.repeat(2 ** 29 - 24)</c> is one allocation of a gigabyte. A call whose estimate does not fit in
/// what is left of the budget ends the script with <c>memory_limit</c> (uncatchable, like the budget itself).
/// </summary>
/// <remarks>
/// <para>
/// Each guard converts the inputs as the built-in would (<c>ToString</c> of the receiver, <c>ToIntegerOrInfinity</c> of a
/// count), checks, and calls the original with the converted primitives, so every conversion runs once and in the
/// built-in's order. Inputs it cannot read without running script code twice (an array-like's <c>length</c> getter, a
/// RegExp pattern) are left to the original, whose loops check the budget as they go.
/// </para>
/// <para>
/// Guards are functions of the host (<c>[native code]</c>, no prototype, the original's name and length); the originals
/// are held here only, out of the script's reach. They are installed lazily: the prototypes every script reaches
/// (<c>String</c>, <c>Array</c>) get lazy properties, the rest lazy globals, so a script pays only for what it touches.
/// </para>
/// </remarks>
internal sealed partial class OneStepGuards
{
    private static readonly string[] BufferFamily =
        [.. OneStepAllocators.All.Where(a => a.Measure == OneStepMeasure.BufferBytes && a.IsConstructor).Select(a => a.Target)];

    private readonly Engine _engine;
    private readonly ScriptMemoryConstraint _memory;
    private readonly long _limitBytes;
    private readonly Dictionary<string, PropertyDescriptor> _lazyGlobals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PropertyDescriptor> _bufferOriginals = new(StringComparer.Ordinal);
    private Dictionary<string, JsValue>? _bufferGuards;
    private PropertyDescriptor? _proxy;
    // The realm's own Array.isArray, taken before any script runs: the only public test that sees through a Proxy.
    private readonly JsValue _isArray;
    private ScriptDeadlineConstraint? _deadline;
    private CancellationConstraint? _cancellation;
    // Arrays being joined: one met again inside its own join (a cycle) is joined as empty, as the original does.
    private readonly HashSet<JsArray> _joining = new(ReferenceEqualityComparer.Instance);

    private OneStepGuards(Engine engine, ScriptMemoryConstraint memory, long limitBytes)
    {
        _engine = engine;
        _memory = memory;
        _limitBytes = limitBytes;
        _isArray = engine.Intrinsics.Array.Get("isArray");
    }

    /// <summary>The message of the call that was refused, once one was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Installs the guards in <paramref name="engine"/>'s realm. Runs before any script code.</summary>
    public static OneStepGuards Install(Engine engine, ScriptMemoryConstraint memory, long limitBytes)
    {
        var guards = new OneStepGuards(engine, memory, limitBytes);
        var global = engine.Global;
        var stringConstructor = (ObjectInstance)global.Get("String");
        var stringPrototype = (ObjectInstance)stringConstructor.Get("prototype");
        var arrayConstructor = engine.Intrinsics.Array;
        foreach (var allocator in OneStepAllocators.All)
        {
            switch (allocator.Owner)
            {
                case "String.prototype":
                    guards.GuardProperty(stringPrototype, allocator);
                    break;
                case "Array.prototype":
                    guards.GuardProperty(arrayConstructor.PrototypeObject, allocator);
                    break;
                case "Array":
                    guards.GuardProperty(arrayConstructor, allocator);
                    break;
                case "String":
                    guards.GuardProperty(stringConstructor, allocator);
                    break;
                case "Object":
                    guards.GuardProperty(engine.Intrinsics.Object, allocator);
                    break;
            }
        }

        // Reachable only through their globals: guarded when a script first names one. An ArrayBuffer can also be
        // reached from a typed array (.buffer), so touching any of that family guards all of it.
        guards._proxy = global.GetOwnProperty("Proxy");
        guards.GuardGlobal("JSON");
        guards.GuardGlobal("Intl");
        guards.GuardGlobal("Reflect");
        foreach (var name in BufferFamily)
        {
            guards.GuardGlobal(name);
        }

        return guards;
    }

    /// <summary>
    /// Refuses the call (<c>memory_limit</c>) when <paramref name="units"/> of <paramref name="allocator"/> do not fit in
    /// what is left of the script's budget.
    /// </summary>
    private void Check(OneStepAllocator allocator, double units)
    {
        if (!OneStepAllocators.Fits(allocator, units, _memory.RemainingBytes))
        {
            Refusal = OneStepAllocators.Refusal(allocator, units, _limitBytes);
            throw new MemoryLimitExceededException(Refusal);
        }
    }

    /// <summary>
    /// Refuses what the host itself is about to make for the script (<paramref name="what"/>: its tool arguments, its
    /// return value, a console line) when <paramref name="bytes"/> do not fit in what is left of the budget.
    /// </summary>
    public void CheckBytes(string what, double bytes)
    {
        if (bytes > _memory.RemainingBytes)
        {
            Refusal = OneStepAllocators.Refusal(what, bytes, _limitBytes);
            throw new MemoryLimitExceededException(Refusal);
        }
    }

    /// <summary>
    /// Checks the script's deadline and whether its run was written off (cancelled), but not its budget: for the loops
    /// that write JSON, where the size is the count's to refuse, naming what it was refused for. Without it the host's
    /// own walk of a tool argument within the budget (2²⁵ holes) ran on past the script's deadline, and past its outcome.
    /// </summary>
    public void CheckTime()
    {
        (_deadline ??= _engine.Constraints.Find<ScriptDeadlineConstraint>())?.Check();
        (_cancellation ??= _engine.Constraints.Find<CancellationConstraint>())?.Check();
    }

    // The property becomes lazy: its guard (and the original's descriptor) are read only when a script reads it.
    private void GuardProperty(ObjectInstance owner, OneStepAllocator allocator)
    {
        var original = owner.GetOwnProperty(allocator.Name);
        if (original == PropertyDescriptor.Undefined)
        {
            return;
        }

        owner.FastSetProperty(allocator.Name, PropertyDescriptor.CreateLazy(
            (Guards: this, Allocator: allocator, Original: original),
            static s => s.Guards.CreateGuard(s.Allocator, s.Original.Value),
            PropertyFlag.Configurable | PropertyFlag.Writable));
    }

    private void GuardGlobal(string name)
    {
        var original = _engine.Global.GetOwnProperty(name);
        if (original == PropertyDescriptor.Undefined)
        {
            return;
        }

        if (BufferFamily.Contains(name))
        {
            _bufferOriginals[name] = original;
        }

        var lazy = PropertyDescriptor.CreateLazy((Guards: this, Name: name, Original: original),
            static s => s.Guards.Expose(s.Name, s.Original.Value), PropertyFlag.Configurable | PropertyFlag.Writable);
        _lazyGlobals[name] = lazy;
        _engine.Global.FastSetProperty(name, lazy);
    }

    /// <summary>Whether the global <paramref name="name"/> is still the lazy guard installed (the script has not replaced it).</summary>
    private bool StillLazy(string name) =>
        _lazyGlobals.TryGetValue(name, out var lazy) && ReferenceEquals(_engine.Global.GetOwnProperty(name), lazy);

    // The value a lazy global shows once a script names it, guarded.
    private JsValue Expose(string name, JsValue value)
    {
        switch (name)
        {
            case "JSON":
                GuardOwned(value, "JSON");
                return value;
            case "Intl":
                GuardIntl(value);
                return value;
            case "Reflect":
                GuardOwned(value, "Reflect");
                return value;
            default:
                return GuardBuffers(name) ?? value;
        }
    }

    // Every entry owned by `owner` (named `ownerName` in the catalogue), guarded in place.
    private void GuardOwned(JsValue owner, string ownerName)
    {
        if (owner is not ObjectInstance target)
        {
            return;
        }

        foreach (var allocator in OneStepAllocators.All)
        {
            if (allocator.Owner == ownerName && !allocator.IsConstructor)
            {
                var original = target.GetOwnProperty(allocator.Name);
                if (original != PropertyDescriptor.Undefined && original.IsDataDescriptor())
                {
                    target.FastSetProperty(allocator.Name, new PropertyDescriptor(CreateGuard(allocator, original.Value), FlagsOf(original)));
                }
            }
        }
    }

    private void GuardIntl(JsValue intl)
    {
        if (intl is ObjectInstance target && target.Get("Segmenter") is ObjectInstance segmenter)
        {
            GuardOwned(segmenter.Get("prototype"), "Intl.Segmenter.prototype");
        }
    }

    private JsValue CreateGuard(OneStepAllocator allocator, JsValue original)
    {
        if (original is not ObjectInstance function || !function.IsCallable())
        {
            return original;
        }

        var length = function.Get("length") is JsNumber n ? (int)n.AsNumber() : 0;
        return new ClrFunction(_engine, allocator.Name, (thisObj, args) => Call(allocator, function, thisObj, args), length, PropertyFlag.Configurable);
    }

    private static PropertyFlag FlagsOf(PropertyDescriptor descriptor) =>
        (descriptor.Configurable ? PropertyFlag.Configurable : PropertyFlag.None)
        | (descriptor.Writable ? PropertyFlag.Writable : PropertyFlag.None)
        | (descriptor.Enumerable ? PropertyFlag.Enumerable : PropertyFlag.None);
}
