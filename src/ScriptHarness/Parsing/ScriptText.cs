using System.Buffers;
using System.Text.Unicode;
using ScriptHarness.Serialization;

namespace ScriptHarness.Parsing;

/// <summary>Text helpers shared by the parsing stage: script positions and encoding checks.</summary>
internal static class ScriptText
{
    /// <summary>The UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The byte order mark as a UTF-16 character.</summary>
    public const char Bom = '\uFEFF';

    // JavaScript's line terminators; positions must count lines the way the parser and the engines do.
    private static readonly SearchValues<char> LineTerminators = SearchValues.Create("\r\n\u2028\u2029");

    /// <summary>
    /// The 1-based line and 1-based column (UTF-16 code units) of <paramref name="offset"/> in
    /// <paramref name="text"/>, counting <c>\r\n</c>, <c>\r</c>, <c>\n</c>, U+2028 and U+2029 as line breaks.
    /// </summary>
    public static (int Line, int Column) PositionOf(ReadOnlySpan<char> text, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, text.Length);
        var head = text[..offset];
        int line = 1, lineStart = 0;
        while (true)
        {
            var next = head[lineStart..].IndexOfAny(LineTerminators);
            if (next < 0)
            {
                return (line, offset - lineStart + 1);
            }

            var at = lineStart + next;
            if (head[at] == '\r' && at + 1 < head.Length && head[at + 1] == '\n')
            {
                at++;
            }

            line++;
            lineStart = at + 1;
        }
    }

    /// <summary>Index of the first UTF-16 surrogate without its partner, or -1 when the text is well formed.</summary>
    public static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> text) => WellFormedText.FirstLoneSurrogate(text);

    /// <summary>Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8.</summary>
    public static int IndexOfInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return -1;
        }

        // Error path only: decode in chunks until the decoder stops at the bad sequence.
        Span<char> scratch = stackalloc char[256];
        var consumed = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(utf8[consumed..], scratch, out var read, out _, replaceInvalidSequences: false);
            consumed += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return status == OperationStatus.Done ? -1 : consumed;
            }
        }
    }
}
