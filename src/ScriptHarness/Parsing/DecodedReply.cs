namespace ScriptHarness.Parsing;

/// <summary>A model reply decoded from UTF-8, with the places where its bytes were not valid UTF-8.</summary>
/// <param name="Text">The reply text; each invalid byte sequence became one U+FFFD.</param>
/// <param name="InvalidOffsets">UTF-16 offsets in <paramref name="Text"/> of those U+FFFD characters, ascending.</param>
internal sealed record DecodedReply(string Text, IReadOnlyList<int> InvalidOffsets)
{
    /// <summary>Whether any invalid sequence falls in the text range [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>).</summary>
    /// <param name="start">UTF-16 offset of the range in <see cref="Text"/>.</param>
    /// <param name="length">Length of the range in UTF-16 code units.</param>
    public bool HasInvalidUtf8(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        // Binary search for the first offset at or after start; the range holds one if it lies before the end.
        int low = 0, high = InvalidOffsets.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (InvalidOffsets[mid] < start)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low < InvalidOffsets.Count && InvalidOffsets[low] - start < length;
    }
}
