using System.Text;
using System.Text.RegularExpressions;
using ScriptHarness.Parsing;

namespace ScriptHarness.Runtime;

/// <summary>
/// Turns an engine's stack text into what the model may see: frames of the script only, as
/// <c>at name (line:column)</c> in script coordinates, at most 10, no host paths or CLR names.
/// </summary>
internal static partial class ScriptStackCleaner
{
    /// <summary>The source name engines give the script, so its frames can be told from the prelude's.</summary>
    public const string ScriptSourceName = "script";

    public const int MaxFrames = 10;

    /// <summary>Cleans <paramref name="rawStack"/>; returns the first frame's position (if any) alongside.</summary>
    public static (string? Stack, int? Line, int? Column) Clean(string? rawStack)
    {
        if (string.IsNullOrEmpty(rawStack))
        {
            return (null, null, null);
        }

        var sb = new StringBuilder();
        int? firstLine = null, firstColumn = null;
        var frames = 0;
        foreach (Match m in FramePattern().Matches(rawStack))
        {
            var wrappedLine = int.Parse(m.Groups["line"].ValueSpan, provider: null);
            var wrappedColumn = int.Parse(m.Groups["col"].ValueSpan, provider: null);
            if (ScriptWrapper.IsInPrefix(wrappedLine, wrappedColumn))
            {
                // The wrapper's helpers (store, load, $search, ...) are the harness's, not the script's.
                continue;
            }

            var (line, column) = ScriptWrapper.ToScriptPosition(wrappedLine, wrappedColumn);
            firstLine ??= line;
            firstColumn ??= column;
            if (frames++ == MaxFrames)
            {
                break;
            }

            var name = m.Groups["name"].Success && !IsScriptFunction(m.Groups["name"].ValueSpan)
                ? SanitizeName(m.Groups["name"].Value)
                : null;
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append("    at ");
            sb.Append(name is null ? $"{line}:{column}" : $"{name} ({line}:{column})");
        }

        return (sb.Length == 0 ? null : sb.ToString(), firstLine, firstColumn);
    }

    // "$script" (Jint, V8) or "async $script" (V8, after an await).
    private static bool IsScriptFunction(ReadOnlySpan<char> name) =>
        name.SequenceEqual(ScriptWrapper.ScriptName) || (name.StartsWith("async ") && name[6..].SequenceEqual(ScriptWrapper.ScriptName));

    private static string SanitizeName(string name) =>
        name.Length > 80 ? name[..80] : name;

    // "at name (script:3:7)" or "at script:3:7"; only frames whose source is the script are kept. ClearScript (V8)
    // decorates the document name: "script [2] [temp]:3:7". A position past nine digits is no frame (not a cut one).
    [GeneratedRegex(@"at (?:(?<name>[\w$.<>\[\] ]{1,200}?) \()?script(?: \[\d{1,9}\])?(?: \[temp\])?:(?<line>\d{1,9}):(?<col>\d{1,9})(?!\d)\)?", RegexOptions.CultureInvariant)]
    private static partial Regex FramePattern();
}
