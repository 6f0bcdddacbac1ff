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
    // The catalogue with each entry's owner, name and key worked out once per process: every sandbox installs the guards
    // in a fresh realm, and splitting the targets there cost a trivial script more than the rest of the install.
    private static readonly Guarded[] Catalogue =
        [.. OneStepAllocators.All.Select(a => new Guarded(a, a.Owner, a.Name, JsString.Create(a.Name)))];

    private static readonly string[] BufferFamily =
        [.. OneStepAllocators.All.Where(a => a.Measure == OneStepMeasure.BufferBytes && a.IsConstructor).Select(a => a.Target)];

    // The globals guarded when a script first names one: JSON, Intl, Reflect, then the buffer family (from BufferStart).
    private static readonly string[] LazyGlobalNames = ["JSON", "Intl", "Reflect", .. BufferFamily];
    private static readonly JsString[] LazyGlobalKeys = [.. LazyGlobalNames.Select(JsString.Create)];
    private const int BufferStart = 3;
    private static readonly JsString ProxyKey = JsString.Create("Proxy");

    private readonly Engine _engine;
    private readonly ScriptMemoryConstraint _memory;
    private readonly long _limitBytes;
    // Per entry of LazyGlobalNames: the lazy guard installed, and the original it stands for (null: not in this realm).
    private readonly PropertyDescriptor?[] _lazyGlobals = new PropertyDescriptor?[LazyGlobalNames.Length];
    private readonly PropertyDescriptor?[] _originals = new PropertyDescriptor?[LazyGlobalNames.Length];
    private Dictionary<string, JsValue>? _bufferGuards;
    // The realm's own Proxy constructor, taken before any script runs: the global's descriptor is changed in place when a
    // script assigns to it, and `Proxy = null` before the first ArrayBuffer used to leave the buffer family unguarded.
    private Constructor? _proxy;
    // The realm's own Array.isArray, taken before any script runs: the only public test that sees through a Proxy.
    private readonly JsValue _isArray;
    private ScriptDeadlineConstraint? _deadline;
    private ScriptStackConstraint? _stack;
    private CancellationConstraint? _cancellation;
    // Arrays being joined: one met again inside its own join (a cycle) is joined as empty, as the original does.
    private HashSet<JsArray>? _joining;

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
        foreach (var entry in Catalogue)
        {
            var owner = entry.Owner switch
            {
                "String.prototype" => stringPrototype,
                "Array.prototype" => arrayConstructor.PrototypeObject,
                "Array" => arrayConstructor,
                "String" => stringConstructor,
                "Object" => engine.Intrinsics.Object,
                _ => null,
            };
            if (owner is not null)
            {
                guards.GuardProperty(owner, entry);
            }
        }

        // Reachable only through their globals: guarded when a script first names one. An ArrayBuffer can also be
        // reached from a typed array (.buffer), so touching any of that family guards all of it.
        guards._proxy = global.GetOwnProperty(ProxyKey).Value as Constructor;
        for (var i = 0; i < LazyGlobalNames.Length; i++)
        {
            guards.GuardGlobal(i);
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

    /// <summary>
    /// Checks the script's stack budget (<see cref="ScriptStackConstraint"/>) where a built-in recurses without running a
    /// statement of the script between levels — a nested array joined by <c>String(a)</c>, a deep value written by
    /// <c>JSON.stringify</c> — so such recursion ends with <c>recursion_limit</c>, not at Jint's native-stack guard.
    /// </summary>
    public void CheckStack() => (_stack ??= _engine.Constraints.Find<ScriptStackConstraint>())?.Check();

    // The property becomes lazy: its guard (and the original's descriptor) are read only when a script reads it.
    private void GuardProperty(ObjectInstance owner, Guarded entry)
    {
        var original = owner.GetOwnProperty(entry.Key);
        if (original == PropertyDescriptor.Undefined)
        {
            return;
        }

        owner.FastSetProperty(entry.Name, PropertyDescriptor.CreateLazy(
            (Guards: this, entry.Allocator, Original: original),
            static s => s.Guards.CreateGuard(s.Allocator, s.Original.Value),
            PropertyFlag.Configurable | PropertyFlag.Writable));
    }

    private void GuardGlobal(int index)
    {
        var original = _engine.Global.GetOwnProperty(LazyGlobalKeys[index]);
        if (original == PropertyDescriptor.Undefined)
        {
            return;
        }

        var lazy = PropertyDescriptor.CreateLazy((Guards: this, Name: LazyGlobalNames[index], Original: original),
            static s => s.Guards.Expose(s.Name, s.Original.Value), PropertyFlag.Configurable | PropertyFlag.Writable);
        _originals[index] = original;
        _lazyGlobals[index] = lazy;
        _engine.Global.FastSetProperty(LazyGlobalNames[index], lazy);
    }

    /// <summary>Whether the global of <paramref name="index"/> is still the lazy guard installed (the script has not replaced it).</summary>
    private bool StillLazy(int index) =>
        _lazyGlobals[index] is { } lazy && ReferenceEquals(_engine.Global.GetOwnProperty(LazyGlobalKeys[index]), lazy);

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

        foreach (var entry in Catalogue)
        {
            if (entry.Owner == ownerName && !entry.Allocator.IsConstructor)
            {
                var original = target.GetOwnProperty(entry.Key);
                if (original != PropertyDescriptor.Undefined && original.IsDataDescriptor())
                {
                    target.FastSetProperty(entry.Name, new PropertyDescriptor(CreateGuard(entry.Allocator, original.Value), FlagsOf(original)));
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

    /// <summary>A catalogue entry with its owner, property name and key split out of its target.</summary>
    private sealed record Guarded(OneStepAllocator Allocator, string Owner, string Name, JsString Key);
}
