namespace ScriptHarness.Runtime;

/// <summary>
/// How the size of what a one-step allocator makes is estimated, before it runs, from its inputs once converted
/// (numbers, string lengths, array lengths). Each value names the inputs it reads; <see cref="OneStepAllocators.Units"/>
/// is the arithmetic, which every engine applies the same way.
/// </summary>
public enum OneStepMeasure
{
    /// <summary>The receiver string repeated: receiver length × count characters (<c>String.prototype.repeat</c>).</summary>
    Repeat,

    /// <summary>A string padded to a target length: that many characters when longer than the receiver (<c>padStart</c>, <c>padEnd</c>).</summary>
    PadTarget,

    /// <summary>
    /// The pieces of a split string: one per character for an empty separator, else at most receiver length ÷
    /// separator length + 1, never more than the limit argument.
    /// </summary>
    SplitPieces,

    /// <summary>
    /// A string with the matches of a string pattern replaced: receiver length + matches × replacement length, where
    /// each <c>$</c> of the replacement may insert up to the whole receiver (<c>$`</c>, <c>$'</c>).
    /// </summary>
    Replacement,

    /// <summary>A transformed copy of the receiver string (case mapping, normalization, collation): its length in characters.</summary>
    ReceiverText,

    /// <summary>What a string argument is broken into (segments): its length in characters.</summary>
    ArgumentText,

    /// <summary>An array joined into a string: separator length × (length − 1) characters, plus the elements' text.</summary>
    Join,

    /// <summary>The elements an array fill writes: end − start, within the receiver's length.</summary>
    FillRange,

    /// <summary>A copy of the receiver array (<c>toReversed</c>, <c>toSorted</c>, <c>toSpliced</c>, <c>with</c>): its length in elements.</summary>
    ReceiverElements,

    /// <summary>An array made from an array-like or string argument (<c>Array.from</c>): the argument's length in elements.</summary>
    ArgumentElements,

    /// <summary>The own keys of an array or typed array, one string each (<c>Object.keys</c>, <c>Reflect.ownKeys</c>): its length.</summary>
    OwnKeys,

    /// <summary>The literal segments <c>String.raw</c> walks: the length of its argument's <c>raw</c>.</summary>
    RawLiterals,

    /// <summary>JSON text being written (<c>JSON.stringify</c>): the characters of each value as it is written.</summary>
    JsonText,

    /// <summary>Values parsed from JSON text (<c>JSON.parse</c>): its characters, plus one container per opening bracket.</summary>
    JsonValues,

    /// <summary>A buffer's bytes: a byte length, or an element count × the element size (ArrayBuffer, typed arrays).</summary>
    BufferBytes,
}
