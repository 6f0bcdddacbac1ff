using System.CommandLine;
using System.CommandLine.Parsing;

namespace ScriptHarness.Cli;

/// <summary>
/// What was wrong with the command line, said the way clig.dev and the dotnet CLI say it: the unknown word, the
/// nearest known one ("did you mean --engine?"), and where to read more.
/// </summary>
internal static class UsageErrors
{
    /// <summary>One line per problem (the first that explain the others only), without the "scriptharness:" prefix.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;

        // An unknown option is taken for the FILE argument, or left unmatched; either way its value then shows up as
        // "unrecognized" too. The unknown option is the problem to report, and the rest follows from it.
        var unknownOptions = UnknownOptions(parse).ToList();
        if (unknownOptions.Count > 0)
        {
            return [.. unknownOptions.Select(o => $"unknown option '{o}'{DidYouMean(o, OptionNames(command))}")];
        }

        if (command == parse.RootCommandResult.Command && parse.UnmatchedTokens.Count > 0)
        {
            var word = parse.UnmatchedTokens[0];
            return [$"unknown command '{word}'{DidYouMean(word, command.Subcommands.Select(c => c.Name))}"];
        }

        if (parse.UnmatchedTokens.Count > 0)
        {
            return [.. parse.UnmatchedTokens.Select(t => $"unexpected argument '{t}'")];
        }

        return [.. parse.Errors.Select(e => e.Message.TrimEnd('.'))];
    }

    /// <summary>The help to point at: the innermost command's.</summary>
    public static string HelpHint(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return $"Try '{string.Join(' ', names)} --help'.";
    }

    /// <summary>"; did you mean X?" for the closest of <paramref name="known"/>, or nothing when none is close.</summary>
    internal static string DidYouMean(string word, IEnumerable<string> known) =>
        Closest(word, known) is { } name ? $"; did you mean {name}?" : string.Empty;

    /// <summary>The one of <paramref name="known"/> that <paramref name="word"/> is most likely a typo of, if any is close.</summary>
    internal static string? Closest(string word, IEnumerable<string> known)
    {
        var bare = word.TrimStart('-');
        var best = known
            .Select(k => (Name: k, Distance: Distance(bare, k.TrimStart('-'))))
            .Where(k => k.Distance <= Math.Max(1, (bare.Length + 1) / 3) || (bare.Length >= 3 && k.Name.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(k => k.Distance)
            .ThenBy(k => k.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name;
    }

    private static IEnumerable<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options.Where(o => c == command || o.Recursive))
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal)));
            }
        }

        return names;
    }

    /// <summary>
    /// Words that look like options (<c>-x</c>, <c>--xyz</c>) but are none of the command's and are not an option's value;
    /// after <c>--</c> everything is an argument, and <c>-</c> is standard input.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var values = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (var option in parse.CommandResult.Children.OfType<OptionResult>())
        {
            values.UnionWith(option.Tokens);
        }

        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                yield break;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !values.Contains(token))
            {
                yield return token.Value;
            }
        }
    }

    // Edits between the two, a swap of neighbours counting as one ("jsnol" is one from "jsonl"), case ignored.
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
