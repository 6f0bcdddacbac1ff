using System.Buffers;

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
/// <c>$replay</c> namespace, since reading <c>context</c> builds it on engines that make it lazily) — as calls of the
/// harness tools (<c>$state.*</c>, <c>$tools.*</c>) on the real <c>tools</c> (a loaded value is the script's own,
/// unfrozen copy), then starts the script's async function and returns its promise. Built in script, on the one
/// bridge, the helpers work alike on every engine and across processes. All of it sits on line 1 before the source,
/// so the stack cleaner can hide its frames and the validator checks the body only.
/// <para>
/// A helper group is written only when the source contains a name it declares (<see cref="Wrap"/>); otherwise the
/// same number of spaces stands in its place, so the prefix's length — and every position mapping — is the same for
/// every script. Without <c>eval</c> (refused on every engine) a script can only reach a binding of the outer function
/// by writing its name (or an escape of it: any <c>\u</c> keeps every group), so a group the source does not name is
/// unobservable, and leaving it out spares an engine parsing ~1.4 KB and running the helpers for every new script
/// (on Jint ~65 KB of allocation and most of a trivial script's time).
/// </para>
/// </remarks>
internal static class ScriptWrapper
{
    private const string Open = "(function () { const $run = ($script) => $script(); ";

    // The real tools and the JSON functions the other groups use.
    private const string Base = "const $t = globalThis.tools, $s = $t.$state, $d = $t.$tools, $j = JSON.parse, $k = JSON.stringify; ";

    private const string Discovery =
        "async function $search(query, limit) { return $d.search(limit === undefined ? { query } : { query, limit }); } "
        + "async function $describe(name) { return $d.describe({ name }); } "
        + "const tools = new Proxy($t, { get(t, k) { return k === '$search' ? $search : k === '$describe' ? $describe : t[k]; } }); ";

    private const string Store = "async function store(key, value) { await $s.store({ key, value }); } ";

    private const string Load = "async function load(key) { const v = await $s.load({ key }); return v === null ? null : $j($k(v)); } ";

    // The block's replay record (durable approvals), read only when the tools carry the $replay namespace.
    private const string ReplayRecord = "const $r = '$replay' in $t ? globalThis.context.$replay : undefined; ";

    // A Date that stands still at the block's first-run time while replaying.
    private const string ReplayDate =
        "const Date = $r ? (($D, $n) => { function D(...a) { return new.target ? (a.length === 0 ? new $D($n) : new $D(...a)) : new $D($n).toString(); } "
        + "D.prototype = $D.prototype; D.now = () => $n; D.parse = $D.parse; D.UTC = $D.UTC; return D; })(globalThis.Date, $r.now) : globalThis.Date; ";

    // A Math whose random is a seeded xorshift128 while replaying.
    private const string ReplayMath =
        "const Math = $r ? (($M, [$a, $b, $c, $e]) => { "
        + "const random = () => { const t = $a ^ ($a << 11); $a = $b; $b = $c; $c = $e; $e = ($e ^ ($e >>> 19)) ^ (t ^ (t >>> 8)); return ($e >>> 0) / 4294967296; }; "
        + "return Object.create($M, { random: { value: random } }); })(globalThis.Math, $r.seed) : globalThis.Math; ";

    private const string Close = "return $run($script); async function $script() {";

    /// <summary>Text placed before the source (every helper written), on the source's first line so line numbers are unchanged.</summary>
    public const string Prefix = Open + Base + Discovery + Store + Load + ReplayRecord + ReplayDate + ReplayMath + Close;

    /// <summary>
    /// Text placed after the source. It starts with a newline so a trailing <c>// comment</c> in the source
    /// cannot swallow the closing brace.
    /// </summary>
    public const string Suffix = "\n} })";

    /// <summary>
    /// Statements of the outer function of <see cref="WrapBare"/>: <c>$run</c>, then the <c>return</c> and the script's
    /// function, declared last (hoisted) so that every call the harness makes sits on line 1. The parser checks the shape.
    /// </summary>
    internal const int BareStatements = 3;

    /// <summary>
    /// The script's function's name: its frames read <c>at $script (3:7)</c>, and the stack cleaner drops the name, so
    /// they read as before the wrapper had helpers (<c>at 3:7</c>).
    /// </summary>
    public const string ScriptName = "$script";

    // The optional groups in prefix order, each with the names it declares that a script could write; the replay record
    // is also kept for the groups after it that read it.
    private static readonly (string Text, string[] Names)[] Groups =
    [
        (Discovery, ["$search", "$describe"]), // and "tools", unless every use of it is a static member: see ReachesTools
        (Store, ["store"]),
        (Load, ["load"]),
        (ReplayRecord, ["$r"]),
        (ReplayDate, ["Date"]),
        (ReplayMath, ["Math"]),
    ];

    private const int DiscoveryGroup = 0;

    private const int ReplayRecordGroup = 3;

    private static readonly string[] BaseNames = ["$t", "$s", "$d", "$j", "$k"];

    private static readonly string BarePrefix = string.Concat(Open, new string(' ', Prefix.Length - Open.Length - Close.Length), Close);

    /// <summary>Whether a position of the wrapped program (1-based line and column) lies in the prefix: a helper's frame.</summary>
    public static bool IsInPrefix(int wrappedLine, int wrappedColumn) => wrappedLine == 1 && wrappedColumn <= Prefix.Length;

    /// <summary>The source wrapped as an async function expression, with the helpers it names (what engines run).</summary>
    public static string Wrap(string source)
    {
        ArgumentNullException.ThrowIfNull(source);

        // An identifier may be written with escapes (\u0074ools): then every group is kept.
        var all = source.Contains("\\u", StringComparison.Ordinal);
        Span<bool> keep = stackalloc bool[Groups.Length];
        var any = all || Names(source, BaseNames);
        for (var i = 0; i < Groups.Length; i++)
        {
            keep[i] = all || Names(source, Groups[i].Names);
            any |= keep[i];
        }

        if (!keep[DiscoveryGroup] && ReachesTools(source))
        {
            keep[DiscoveryGroup] = any = true;
        }

        keep[ReplayRecordGroup] |= keep[ReplayRecordGroup + 1] || keep[ReplayRecordGroup + 2];

        return any ? Compose(source, keep) : WrapBare(source);
    }

    /// <summary>
    /// The source wrapped with no helper written (spaces in their place): what the validator parses. The script's body
    /// parses the same inside either form — it is the body of the same async function, nested in a sloppy function —
    /// and positions are the same, so checking the bare form checks what engines run.
    /// </summary>
    public static string WrapBare(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return string.Concat(BarePrefix, source, Suffix);
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

    private static bool Names(string source, string[] names)
    {
        foreach (var name in names)
        {
            if (source.Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the source may reach the discovery proxy's two extra properties without naming them: true when some
    /// occurrence of <c>tools</c> is not a static member access (<c>tools.name</c>).
    /// </summary>
    /// <remarks>
    /// The proxy differs from the real <c>tools</c> only when <c>$search</c> or <c>$describe</c> is read from it
    /// (every other operation goes to its target), and a static member access that reads either names it, which keeps
    /// the group anyway. So when every occurrence is <c>tools.</c> and an identifier, the script sees the same either
    /// way, and on Jint it saves a trap call in script on every tool access (~0.4 µs of a ~4 µs tool call). Anything
    /// else — <c>tools[k]</c>, <c>tools?.x</c>, <c>const t = tools</c>, the word in a string or comment — keeps the proxy.
    /// </remarks>
    private static bool ReachesTools(string source)
    {
        const string Name = "tools";
        for (var at = source.IndexOf(Name, StringComparison.Ordinal); at >= 0; at = source.IndexOf(Name, at + Name.Length, StringComparison.Ordinal))
        {
            var next = at + Name.Length;
            if (next + 1 >= source.Length || source[next] != '.' || !IsIdentifierStart(source[next + 1]))
            {
                return true;
            }
        }

        return false;
    }

    // ASCII only: any other character keeps the proxy, which is always right.
    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    // The bare prefix with the base group and the kept groups written in their places.
    private static string Compose(string source, ReadOnlySpan<bool> keep)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Prefix.Length);
        try
        {
            var prefix = buffer.AsSpan(0, Prefix.Length);
            BarePrefix.AsSpan().CopyTo(prefix);
            Base.AsSpan().CopyTo(prefix[Open.Length..]);
            var at = Open.Length + Base.Length;
            for (var i = 0; i < Groups.Length; i++)
            {
                if (keep[i])
                {
                    Groups[i].Text.AsSpan().CopyTo(prefix[at..]);
                }

                at += Groups[i].Text.Length;
            }

            return string.Concat(prefix, source.AsSpan(), Suffix.AsSpan());
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
