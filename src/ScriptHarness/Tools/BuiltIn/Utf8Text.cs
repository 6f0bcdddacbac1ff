using System.Text;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>Decodes file bytes for the <c>files</c> tools.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// Decodes <paramref name="bytes"/> as UTF-8 without a byte-order mark; invalid bytes become U+FFFD. When the
    /// bytes are a <paramref name="cut"/> prefix of a file, a character split at the end is dropped, not mangled.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, bool cut)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        // Without a flush the decoder keeps an incomplete trailing sequence back instead of emitting U+FFFD.
        decoder.Convert(bytes, chars, flush: !cut, out _, out var written, out _);
        return new string(chars, 0, written);
    }
}
