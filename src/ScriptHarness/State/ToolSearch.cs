using ScriptHarness.Tools;

namespace ScriptHarness.State;

/// <summary>
/// Ranks tools for a query by the words they share with it: a word in the name counts three times one in the
/// description, a whole-word match more than a prefix. Deterministic (ties by name), no model, no index to keep.
/// </summary>
internal static class ToolSearch
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', '.', '_', '-', ',', ';', ':', '/', '(', ')', '"', '\''];

    public static IEnumerable<(ToolDefinition Tool, int Score)> Rank(ToolRegistry registry, string query)
    {
        var terms = Words(query).Distinct(StringComparer.Ordinal).ToArray();
        if (terms.Length == 0)
        {
            return [];
        }

        return registry.Tools
            .Select(tool => (Tool: tool, Score: Score(tool, terms)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Tool.Name, StringComparer.Ordinal);
    }

    /// <summary>The first line of <paramref name="description"/>, cut at 160 characters.</summary>
    public static string OneLine(string description)
    {
        var line = description.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        return line.Length > 160 ? string.Concat(line[..159], "…") : line.ToString();
    }

    private static int Score(ToolDefinition tool, string[] terms)
    {
        var name = Words(tool.Name).Concat(CamelParts(tool.ShortName)).ToArray();
        var description = Words(tool.Description).ToArray();
        var score = 0;
        foreach (var term in terms)
        {
            score += 3 * Match(name, term) + Match(description, term);
        }

        return score;
    }

    private static int Match(string[] words, string term)
    {
        var best = 0;
        foreach (var word in words)
        {
            if (word == term)
            {
                return 2;
            }

            if (term.Length >= 3 && word.StartsWith(term, StringComparison.Ordinal))
            {
                best = 1;
            }
        }

        return best;
    }

    private static IEnumerable<string> Words(string text) =>
        text.ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries);

    // `createInvoice` also matches `invoice`.
    private static IEnumerable<string> CamelParts(string name)
    {
        var start = 0;
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                yield return name[start..i].ToLowerInvariant();
                start = i;
            }
        }

        if (start > 0)
        {
            yield return name[start..].ToLowerInvariant();
        }
    }
}
