namespace ScriptHarness.Parsing;

/// <summary>
/// Wraps a block as the body of an async function, so top-level <c>await</c> and <c>return</c> work.
/// This is the one definition of the wrapping: the validator parses it and every engine runs it, so
/// positions reported by either map back to the script the same way.
/// </summary>
internal static class ScriptWrapper
{
    /// <summary>Text placed before the source, on the source's first line so line numbers are unchanged.</summary>
    public const string Prefix = "(async function () {";

    /// <summary>
    /// Text placed after the source. It starts with a newline so a trailing <c>// comment</c> in the source
    /// cannot swallow the closing brace.
    /// </summary>
    public const string Suffix = "\n})";

    /// <summary>The source wrapped as an async function expression.</summary>
    public static string Wrap(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return string.Concat(Prefix, source, Suffix);
    }

    /// <summary>
    /// Maps a position in the wrapped program to the script: only line 1 moves, by the prefix length.
    /// Both positions are 1-based line and 1-based column (UTF-16 code units); a position that falls
    /// inside the prefix is clamped to column 1.
    /// </summary>
    public static (int Line, int Column) ToScriptPosition(int wrappedLine, int wrappedColumn)
    {
        var line = Math.Max(1, wrappedLine);
        var column = line == 1 ? wrappedColumn - Prefix.Length : wrappedColumn;
        return (line, Math.Max(1, column));
    }

    /// <summary>Index in the wrapped program of the wrapper function's opening brace, where its body starts.</summary>
    public static int BodyStart => Prefix.Length - 1;

    /// <summary>Index in the wrapped program where the wrapper function's body must end (just past its <c>}</c>).</summary>
    public static int BodyEnd(int sourceLength) => Prefix.Length + sourceLength + Suffix.IndexOf('}', StringComparison.Ordinal) + 1;
}
