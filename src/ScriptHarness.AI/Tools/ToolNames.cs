using System.Text;

namespace ScriptHarness.AI.Tools;

/// <summary>Turns the names of functions and servers into the JavaScript identifiers scripts call them by.</summary>
public static class ToolNames
{
    /// <summary>The longest identifier a tool name part may be (see <see cref="ScriptHarness.Tools.ToolDefinition"/>).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Makes <paramref name="name"/> a JavaScript identifier: every character other than an ASCII letter, digit or
    /// <c>_</c> becomes <c>_</c> (so <c>read-file</c> and <c>read.file</c> become <c>read_file</c>), a leading digit gets a
    /// <c>_</c> in front, and the result is cut to <see cref="MaxLength"/> characters.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public static string Sanitize(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var text = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name.Trim())
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return text.Length > MaxLength ? text.ToString(0, MaxLength) : text.ToString();
    }
}
