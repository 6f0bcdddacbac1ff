using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ScriptHarness.Parsing;

/// <summary>The script hash: lower-case hex SHA-256 of the UTF-8 source, the cache key for prepared scripts.</summary>
internal static class ScriptHash
{
    // Encode small scripts on the stack; larger ones borrow a pooled buffer so validation allocates no byte[].
    private const int StackLimit = 1024;

    /// <summary>Hash of UTF-8 bytes.</summary>
    public static string OfUtf8(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Hash of <paramref name="source"/> encoded as UTF-8; <paramref name="byteCount"/> is its known UTF-8 size.</summary>
    public static string OfText(ReadOnlySpan<char> source, int byteCount)
    {
        byte[]? rented = null;
        var buffer = byteCount <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var written = Encoding.UTF8.GetBytes(source, buffer);
            return OfUtf8(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
