using System.Text;

namespace ScriptHarness.AI.Mcp;

/// <summary>
/// A stdio MCP server to start: <c>[name=]command arg…</c>, split like a shell line (single and double quotes group,
/// a backslash escapes the next character). The name is the server's tool namespace; without one, the server's own
/// name (from its handshake) is used.
/// </summary>
/// <param name="Name">The namespace of the server's tools; null to take the server's name.</param>
/// <param name="Command">The program to start.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record McpServerCommand(string? Name, string Command, IReadOnlyList<string> Arguments)
{
    /// <summary>Parses <c>[name=]command arg…</c>.</summary>
    /// <exception cref="FormatException">The line is empty, a quote is not closed, or the name is not an identifier.</exception>
    public static McpServerCommand Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = Split(line);
        if (words.Count == 0)
        {
            throw new FormatException("an MCP server needs a command, e.g. \"node server.js\"");
        }

        string? name = null;
        var first = words[0];
        var equals = first.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0 && !first.Contains('/', StringComparison.Ordinal))
        {
            name = first[..equals];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new FormatException($"'{name}' is not a server name: use letters, digits, '_' or '-' before '='");
            }

            words[0] = first[(equals + 1)..];
            if (words[0].Length == 0)
            {
                words.RemoveAt(0);
            }

            if (words.Count == 0)
            {
                throw new FormatException($"the MCP server '{name}' needs a command after '='");
            }
        }

        return new McpServerCommand(name, words[0], words[1..]);
    }

    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else if (c == '\\' && q == '"' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"unclosed {quote} quote in \"{line}\"");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <inheritdoc />
    public override string ToString() => (Name is null ? string.Empty : Name + "=") + string.Join(' ', [Command, .. Arguments]);
}
