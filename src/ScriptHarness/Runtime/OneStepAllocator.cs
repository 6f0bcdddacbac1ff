namespace ScriptHarness.Runtime;

/// <summary>
/// A built-in whose single call can allocate far more than the memory the script already holds — the size comes from
/// a number, a length or a count the script chose — so an engine must check it against the memory limit before the
/// call allocates. One entry of <see cref="OneStepAllocators.All"/>.
/// </summary>
/// <param name="Target">
/// Where the built-in lives, as a script names it: <c>String.prototype.repeat</c>, <c>JSON.stringify</c>, <c>Uint8Array</c>;
/// <c>%TypedArray%</c> is the spec's name for the constructor every typed array inherits from
/// (<c>Object.getPrototypeOf(Int8Array)</c>).
/// </param>
/// <param name="Measure">How its size is estimated.</param>
/// <param name="BytesPerUnit">Bytes per unit of the measure: 2 per UTF-16 character, 8 per array element, the element size of a typed array.</param>
/// <param name="IsConstructor">True when the built-in is a constructor (<c>new Uint8Array(n)</c>), false for a function or method.</param>
public sealed record OneStepAllocator(string Target, OneStepMeasure Measure, double BytesPerUnit, bool IsConstructor = false)
{
    /// <summary>The object that holds the built-in: <c>String.prototype</c> for <c>String.prototype.repeat</c>; empty for a global.</summary>
    public string Owner => Target.LastIndexOf('.') is var dot and >= 0 ? Target[..dot] : string.Empty;

    /// <summary>The property name of the built-in on its <see cref="Owner"/> (or of the global).</summary>
    public string Name => Target[(Target.LastIndexOf('.') + 1)..];

    /// <summary>The estimated bytes for <paramref name="units"/> of the measure.</summary>
    public double Bytes(double units) => units * BytesPerUnit;

    /// <inheritdoc />
    public override string ToString() => Target;
}
