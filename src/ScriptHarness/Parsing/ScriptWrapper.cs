namespace ScriptHarness.Parsing;

/// <summary>
/// Wraps a block as the body of an async function, so top-level <c>await</c> and <c>return</c> work.
/// This is the one definition of the wrapping: the validator parses it and every engine runs it, so
/// positions reported by either map back to the script the same way.
/// </summary>
/// <remarks>
/// The wrapped program evaluates to an outer function; the engine calls it after its prelude, and it defines the
/// script's helpers — <c>store</c>, <c>load</c>, and <c>tools</c> shadowed by a proxy that adds <c>$search</c> and
/// <c>$describe</c>, and with durable approvals a <c>Date</c> that stands still and a seeded <c>Math.random</c>
/// (from <c>context.$replay</c>, so a resumed block replays the same values; read only when the tools carry the
/// <c>$replay</c> namespace, since reading <c>context</c> builds it on engines that make it lazily) — as calls of the harness tools (<c>$state.*</c>, <c>$tools.*</c>) on the real <c>tools</c> (a loaded value is the script's own, unfrozen copy), then
/// starts the script's async function and returns its promise. Built in script, on the one bridge, the helpers work
/// alike on every engine and across processes. All of it sits on line 1 before the source, so the stack cleaner can
/// hide its frames and the validator checks the body only.
/// </remarks>
internal static class ScriptWrapper
{
    /// <summary>Text placed before the source, on the source's first line so line numbers are unchanged.</summary>
    public const string Prefix =
        "(function () { const $t = globalThis.tools, $s = $t.$state, $d = $t.$tools, $run = ($script) => $script(), $j = JSON.parse, $k = JSON.stringify; "
        + "async function $search(query, limit) { return $d.search(limit === undefined ? { query } : { query, limit }); } "
        + "async function $describe(name) { return $d.describe({ name }); } "
        + "const tools = new Proxy($t, { get(t, k) { return k === '$search' ? $search : k === '$describe' ? $describe : t[k]; } }); "
        + "async function store(key, value) { await $s.store({ key, value }); } "
        + "async function load(key) { const v = await $s.load({ key }); return v === null ? null : $j($k(v)); } "
        + "const [Date, Math] = (($r, $D, $M) => { if (!$r) { return [$D, $M]; } const $n = $r.now; let [$a, $b, $c, $e] = $r.seed; "
        + "function D(...a) { return new.target ? (a.length === 0 ? new $D($n) : new $D(...a)) : new $D($n).toString(); } "
        + "D.prototype = $D.prototype; D.now = () => $n; D.parse = $D.parse; D.UTC = $D.UTC; "
        + "const random = () => { const t = $a ^ ($a << 11); $a = $b; $b = $c; $c = $e; $e = ($e ^ ($e >>> 19)) ^ (t ^ (t >>> 8)); return ($e >>> 0) / 4294967296; }; "
        + "return [D, Object.create($M, { random: { value: random } })]; })('$replay' in $t ? globalThis.context.$replay : undefined, globalThis.Date, globalThis.Math); "
        + "return $run($script); async function $script() {";

    /// <summary>
    /// Text placed after the source. It starts with a newline so a trailing <c>// comment</c> in the source
    /// cannot swallow the closing brace.
    /// </summary>
    public const string Suffix = "\n} })";

    /// <summary>
    /// Statements of the outer function before its <c>return</c> (the helpers); then the <c>return</c> and the script's
    /// function, declared last (hoisted) so that every call the harness makes sits on line 1. The parser checks the shape.
    /// </summary>
    internal const int HelperStatements = 7;

    /// <summary>
    /// The script's function's name: its frames read <c>at $script (3:7)</c>, and the stack cleaner drops the name, so
    /// they read as before the wrapper had helpers (<c>at 3:7</c>).
    /// </summary>
    public const string ScriptName = "$script";

    /// <summary>Whether a position of the wrapped program (1-based line and column) lies in the prefix: a helper's frame.</summary>
    public static bool IsInPrefix(int wrappedLine, int wrappedColumn) => wrappedLine == 1 && wrappedColumn <= Prefix.Length;

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
