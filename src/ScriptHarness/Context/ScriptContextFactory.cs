using System.Buffers;
using ScriptHarness.Runtime;

namespace ScriptHarness.Context;

/// <summary>Builds sanitized <see cref="ScriptContext"/>s: ids are cut to 128 characters of a safe alphabet.</summary>
public static class ScriptContextFactory
{
    private const int MaxIdLength = 128;
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

    /// <summary>Replaces characters outside the safe alphabet with <c>_</c> and truncates to 128 characters.</summary>
    public static string Sanitize(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "unknown";
        }

        var span = id.AsSpan(0, Math.Min(id.Length, MaxIdLength));
        if (!span.ContainsAnyExcept(Safe))
        {
            return span.Length == id.Length ? id : span.ToString();
        }

        return string.Create(span.Length, id, static (dest, src) =>
        {
            for (var i = 0; i < dest.Length; i++)
            {
                dest[i] = Safe.Contains(src[i]) ? src[i] : '_';
            }
        });
    }
}
