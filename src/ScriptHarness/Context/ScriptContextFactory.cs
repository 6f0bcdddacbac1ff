using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ScriptHarness.Runtime;

namespace ScriptHarness.Context;

/// <summary>Builds sanitized <see cref="ScriptContext"/>s: ids are kept to 128 characters of a safe alphabet (see <see cref="Sanitize"/>).</summary>
public static class ScriptContextFactory
{
    private const int MaxIdLength = 128;
    private const string HashPrefix = "sha256:";
    private const int HashBytes = 16;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> Safe =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@");

    /// <summary>Creates the context of the script at <paramref name="segmentIndex"/> of a turn.</summary>
    public static ScriptContext Create(RunIdentity identity, int segmentIndex, ToolMode mode, ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var turn = Sanitize(identity.TurnId);
        return new ScriptContext
        {
            ConversationId = Sanitize(identity.ConversationId),
            SessionId = Sanitize(identity.SessionId),
            TurnId = turn,
            ScriptId = $"{turn}/s{segmentIndex}",
            Mode = mode,
            Limits = limits ?? ScriptLimits.Default,
        };
    }

    /// <summary>
    /// The id as scripts, logs and the state store see it: itself when it is 1 to 128 characters of a safe alphabet
    /// (letters, digits, <c>-_.:/@</c>); otherwise <c>sha256:</c> and 32 hex digits of its SHA-256. Different ids stay
    /// different (a conversation's id keys its state), and an id made this way is kept as it is when made again.
    /// </summary>
    public static string Sanitize(string? id)
    {
        if (id is null)
        {
            return "unknown";
        }

        var kept = id.Length is > 0 and <= MaxIdLength && !id.AsSpan().ContainsAnyExcept(Safe)
            && (!id.StartsWith(HashPrefix, StringComparison.Ordinal) || IsHashed(id));
        return kept ? id : HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, HashBytes));
    }

    private static bool IsHashed(string id) =>
        id.Length == HashPrefix.Length + (2 * HashBytes) && id.AsSpan(HashPrefix.Length).IndexOfAnyExcept(LowerHex) < 0;
}
