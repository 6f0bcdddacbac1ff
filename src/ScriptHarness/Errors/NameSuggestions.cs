namespace ScriptHarness;

/// <summary>"Did you mean" for names a person typed: tool names, configuration keys, engine names.</summary>
public static class NameSuggestions
{
    /// <summary>
    /// Whether <paramref name="candidate"/> is close enough to <paramref name="typed"/> to be what was meant: at most a
    /// third of the longer name's characters apart (at least 2), ignoring case.
    /// </summary>
    public static bool IsNear(string typed, string candidate) =>
        Distance(typed, candidate) <= Math.Max(2, Math.Max(typed.Length, candidate.Length) / 3);

    /// <summary>The candidate nearest to <paramref name="typed"/> if it is near (<see cref="IsNear"/>), ties broken by ordinal order.</summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates) => candidates
        .Where(c => IsNear(typed, c))
        .OrderBy(c => Distance(typed, c))
        .ThenBy(c => c, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>Levenshtein distance, case-insensitive; names are short so the O(n·m) table is fine.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
