using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Unicode;

namespace ScriptHarness.Parsing;

/// <summary>
/// Decodes a whole model reply from UTF-8 without failing on bad bytes: the prose around scripts stays
/// readable, and the offsets of bad sequences let the pipeline reject only the script blocks they touch.
/// </summary>
internal static class ReplyDecoder
{
    /// <summary>Decodes <paramref name="utf8"/>, dropping a leading byte order mark.</summary>
    /// <returns>The text, each maximal invalid sequence replaced by one U+FFFD, and the offsets of those characters.</returns>
    public static DecodedReply Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(ScriptText.Utf8Bom))
        {
            utf8 = utf8[ScriptText.Utf8Bom.Length..];
        }

        if (utf8.IsEmpty)
        {
            return new DecodedReply(string.Empty, []);
        }

        // UTF-8 never needs more UTF-16 units than bytes, and a replaced sequence is at least one byte.
        var buffer = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            List<int>? invalid = null;
            var written = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(utf8, buffer.AsSpan(written), out var read, out var chars, replaceInvalidSequences: false);
                written += chars;
                utf8 = utf8[read..];
                if (status == OperationStatus.Done)
                {
                    break;
                }

                Debug.Assert(status is OperationStatus.InvalidData or OperationStatus.NeedMoreData, "the buffer always fits");

                // Skip one maximal invalid subsequence, the same unit the standard replacing decoder uses.
                _ = Rune.DecodeFromUtf8(utf8, out _, out var badLength);
                utf8 = utf8[Math.Max(1, badLength)..];
                (invalid ??= []).Add(written);
                buffer[written++] = '\uFFFD';
            }

            return new DecodedReply(new string(buffer, 0, written), invalid is null ? [] : invalid.ToArray());
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
