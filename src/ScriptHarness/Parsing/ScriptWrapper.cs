namespace ScriptHarness.Parsing;

/// <summary>
/// The one definition of how a block becomes runnable: the body of an async function, opened on the
/// source's first line so line numbers stay the same.
/// </summary>
internal static class ScriptWrapper
{
    public const string Prefix = "(async function () {";
    public const string Suffix = "\n})";

    public static string Wrap(string source) => string.Concat(Prefix, source, Suffix);

    public static (int Line, int Column) ToScriptPosition(int wrappedLine, int wrappedColumn) =>
        wrappedLine == 1 ? (1, Math.Max(1, wrappedColumn - Prefix.Length)) : (wrappedLine, wrappedColumn);
}
