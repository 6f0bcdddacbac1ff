using System.Globalization;

namespace ScriptHarness.Runtime;

/// <summary>
/// The built-ins a script can make allocate far past its memory limit in a single call — the one list every
/// in-process engine guards. An engine's own limit sees an allocation only after it happened (Jint's allocation budget
/// at its next check, V8's sampled heap limit at its next sample), and some of these calls allocate gigabytes, or run
/// for seconds in native code that no interrupt reaches, before that. Each engine estimates the size of a call from
/// its converted inputs (<see cref="Units"/>) and refuses it with <c>memory_limit</c> (<see cref="Refusal(OneStepAllocator, double, long)"/>) when the
/// estimate does not fit (<see cref="Fits"/>), before the built-in runs.
/// </summary>
/// <remarks>
/// Estimates are lower bounds of what the call allocates (2 bytes per character, 8 per array element), so a refused
/// call would certainly have crossed the limit; what a call allocates beyond its estimate is left to the engine's own
/// limit, as are allocations made step by step (loops, repeated concatenation), which that limit sees in time.
/// Where an engine enforces an entry natively before allocating (V8's ArrayBuffer allocator is capped at the memory
/// limit), it may rely on that and says so.
/// </remarks>
public static class OneStepAllocators
{
    private static readonly string[] TypedArrays =
    [
        "Int8Array:1", "Uint8Array:1", "Uint8ClampedArray:1", "Int16Array:2", "Uint16Array:2", "Int32Array:4", "Uint32Array:4",
        "Float32Array:4", "Float64Array:8", "BigInt64Array:8", "BigUint64Array:8",
    ];

    /// <summary>Every one-step allocator, in a stable order.</summary>
    public static IReadOnlyList<OneStepAllocator> All { get; } =
    [
        new("String.prototype.repeat", OneStepMeasure.Repeat, 2),
        new("String.prototype.padStart", OneStepMeasure.PadTarget, 2),
        new("String.prototype.padEnd", OneStepMeasure.PadTarget, 2),
        new("String.prototype.split", OneStepMeasure.SplitPieces, 16),
        new("String.prototype.replace", OneStepMeasure.Replacement, 2),
        new("String.prototype.replaceAll", OneStepMeasure.Replacement, 2),
        // Case mapping and normalization may grow a string up to three times (ß → SS, NFD); collation copies both.
        new("String.prototype.normalize", OneStepMeasure.ReceiverText, 6),
        new("String.prototype.toUpperCase", OneStepMeasure.ReceiverText, 6),
        new("String.prototype.toLowerCase", OneStepMeasure.ReceiverText, 6),
        new("String.prototype.toLocaleUpperCase", OneStepMeasure.ReceiverText, 6),
        new("String.prototype.toLocaleLowerCase", OneStepMeasure.ReceiverText, 6),
        new("String.prototype.localeCompare", OneStepMeasure.ReceiverText, 4),
        new("String.raw", OneStepMeasure.RawLiterals, 2),
        new("Array.prototype.join", OneStepMeasure.Join, 2),
        new("Array.prototype.toLocaleString", OneStepMeasure.Join, 2),
        new("%TypedArray%.prototype.join", OneStepMeasure.Join, 2),
        new("Array.prototype.fill", OneStepMeasure.FillRange, 8),
        new("Array.prototype.toReversed", OneStepMeasure.ReceiverElements, 8),
        new("Array.prototype.toSorted", OneStepMeasure.ReceiverElements, 8),
        new("Array.prototype.toSpliced", OneStepMeasure.ReceiverElements, 8),
        new("Array.prototype.with", OneStepMeasure.ReceiverElements, 8),
        new("Array.from", OneStepMeasure.ArgumentElements, 8),
        // A typed array of a few megabytes has millions of index keys, each a string of its own.
        new("Object.keys", OneStepMeasure.OwnKeys, 32),
        new("Object.values", OneStepMeasure.OwnKeys, 8),
        new("Object.entries", OneStepMeasure.OwnKeys, 48),
        new("Object.getOwnPropertyNames", OneStepMeasure.OwnKeys, 32),
        new("Reflect.ownKeys", OneStepMeasure.OwnKeys, 32),
        new("JSON.stringify", OneStepMeasure.JsonText, 2),
        new("JSON.parse", OneStepMeasure.JsonValues, 2),
        // A segment object per character when the segments are iterated (spread into an array, say).
        new("Intl.Segmenter.prototype.segment", OneStepMeasure.ArgumentText, 64),
        new("ArrayBuffer", OneStepMeasure.BufferBytes, 1, IsConstructor: true),
        new("ArrayBuffer.prototype.resize", OneStepMeasure.BufferBytes, 1),
        new("ArrayBuffer.prototype.transfer", OneStepMeasure.BufferBytes, 1),
        new("ArrayBuffer.prototype.transferToFixedLength", OneStepMeasure.BufferBytes, 1),
        .. TypedArrays.Select(t => t.Split(':')).Select(t =>
            new OneStepAllocator(t[0], OneStepMeasure.BufferBytes, double.Parse(t[1], CultureInfo.InvariantCulture), IsConstructor: true)),
    ];

    /// <summary>The entry for <paramref name="target"/>, or null.</summary>
    public static OneStepAllocator? Find(string target) => All.FirstOrDefault(a => a.Target == target);

    /// <summary>
    /// The units of <paramref name="measure"/> for converted inputs, as documented on each <see cref="OneStepMeasure"/>
    /// value: <c>Repeat(length, count)</c>, <c>PadTarget(length, target)</c>, <c>SplitPieces(length, separatorLength
    /// (negative when there is none), limit)</c>, <c>Replacement(length, matches, replacementLength, dollars)</c>,
    /// <c>ReceiverText(length)</c>, <c>ArgumentText(length)</c>, <c>Join(length, separatorLength, elementChars)</c>,
    /// <c>FillRange(start, end)</c>, <c>ReceiverElements(length)</c>, <c>ArgumentElements(length)</c>,
    /// <c>OwnKeys(length)</c>, <c>RawLiterals(length)</c>,
    /// <c>JsonText(chars)</c>, <c>JsonValues(chars, containers)</c>, <c>BufferBytes(bytes)</c>. Never negative.
    /// </summary>
    public static double Units(OneStepMeasure measure, double a, double b = 0, double c = 0, double d = 0)
    {
        var units = measure switch
        {
            OneStepMeasure.Repeat => a * b,
            OneStepMeasure.PadTarget => b > a ? b : 0,
            OneStepMeasure.SplitPieces => Math.Min(c, b < 0 ? 1 : b == 0 ? a : Math.Floor(a / b) + 1),
            OneStepMeasure.Replacement => a + (b * (c + (d * a))),
            OneStepMeasure.Join => (Math.Max(0, a - 1) * b) + c,
            OneStepMeasure.FillRange => b - a,
            OneStepMeasure.JsonValues => a + (32 * b),
            OneStepMeasure.ReceiverText or OneStepMeasure.ArgumentText or OneStepMeasure.ReceiverElements
                or OneStepMeasure.ArgumentElements or OneStepMeasure.OwnKeys or OneStepMeasure.RawLiterals
                or OneStepMeasure.JsonText or OneStepMeasure.BufferBytes => a,
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "not a one-step measure"),
        };
        return double.IsNaN(units) || units < 0 ? 0 : units;
    }

    /// <summary>Whether <paramref name="units"/> of <paramref name="allocator"/> fit in <paramref name="budgetBytes"/>.</summary>
    public static bool Fits(OneStepAllocator allocator, double units, double budgetBytes)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        return allocator.Bytes(units) <= budgetBytes;
    }

    /// <summary>The <c>memory_limit</c> message for a refused call: what it would have needed, and the limit.</summary>
    public static string Refusal(OneStepAllocator allocator, double units, long limitBytes)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        return Refusal(allocator.Target, allocator.Bytes(units), limitBytes);
    }

    /// <summary>
    /// The <c>memory_limit</c> message for <paramref name="what"/> (a built-in, or what an engine makes for the script:
    /// "the arguments of files.write", "the return value") needing <paramref name="bytes"/> at once.
    /// </summary>
    public static string Refusal(string what, double bytes, long limitBytes)
    {
        ArgumentNullException.ThrowIfNull(what);
        var size = bytes >= long.MaxValue ? "more than the address space" : "about " + ReturnValues.Size((long)bytes);
        return $"{what} would allocate {size} at once, more than the script has left of its memory limit of {ReturnValues.Size(limitBytes)}";
    }
}
