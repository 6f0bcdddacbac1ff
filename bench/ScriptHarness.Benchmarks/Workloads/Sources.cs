namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// Guest sources, copied verbatim from shared/anchors/quickjs-bench/bench.mjs (W1_SRC … W7B_SRC), as engine-floor's
/// Sources.cs did. Keep them identical so our figures stay comparable with the Node and raw-engine anchors.
/// </summary>
internal static class Sources
{
    public const string W1 = "1+1";

    public const string W2 = "\n" + """
        const items = [];
        for (let i = 0; i < 1000; i++) {
          items.push({
            id: i,
            name: 'item-' + i.toString(36),
            tags: ['t' + (i % 7), 't' + (i % 11)],
            score: ((i * 7919) % 1000) / 10,
          });
        }
        const filtered = items.filter((it) => it.score > 50 && it.tags.includes('t3'));
        const mapped = filtered.map((it) => ({
          id: it.id,
          label: it.name.toUpperCase() + ':' + it.score.toFixed(1),
          tagCount: it.tags.length,
        }));
        const byTag = {};
        for (const it of items) {
          for (const t of it.tags) byTag[t] = (byTag[t] || 0) + 1;
        }
        const words = mapped.map((m) => m.label).join(' ').split(' ');
        const sorted = words.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const json = JSON.stringify({ mapped, byTag, first: sorted[0], last: sorted[sorted.length - 1] });
        const parsed = JSON.parse(json);
        const summary = {
          count: parsed.mapped.length,
          tags: Object.keys(parsed.byTag).length,
          bytes: json.length,
          first: parsed.first,
        };
        JSON.stringify(summary);
        """ + "\n";

    public const string W3 = """
        (async () => {
          let sum = 0;
          for (let i = 0; i < 1000; i++) {
            const r = await tools.echo({ i });
            sum += r.i;
          }
          return sum;
        })()
        """;

    public const string W4 = """
        (async () => {
          const rs = await Promise.all(Array.from({ length: 100 }, (_, i) => tools.echo({ i })));
          return rs.reduce((s, r) => s + r.i, 0);
        })()
        """;

    public const string W5 = """
        function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
        fib(25)
        """;

    public const string W6 = "while (true) {}";

    public const string W7 = """
        (() => {
          const keep = [];
          for (let i = 0; ; i++) {
            keep.push({ i, s: 'x'.repeat(64) + i, a: [i, i + 1, i + 2] });
          }
        })()
        """;

    public const string W7B = """
        (() => {
          const keep = [];
          for (let k = 0; k < 10; k++) keep.push(new ArrayBuffer(20 * 1024 * 1024));
          return keep.reduce((s, b) => s + b.byteLength, 0);
        })()
        """;

    /// <summary>JSON.stringify(summary) of W2 as Node's V8 computes it (bench.mjs EXPECT.W2).</summary>
    public const string W2Expected = "{\"count\":109,\"tags\":11,\"bytes\":5271,\"first\":\"ITEM-12:92.2\"}";

    /// <summary>The expected results of W1–W5 (bench.mjs EXPECT).</summary>
    public static object? Expected(string workload) => workload switch
    {
        "W1" => 2.0,
        "W2" => W2Expected,
        "W3" => 499500.0,
        "W4" => 4950.0,
        "W5" => 75025.0,
        _ => null,
    };

    /// <summary>
    /// The source of <paramref name="workload"/> as a harness block, with the two mechanical edits a block needs and
    /// nothing else: a block is the body of an async function, so its completion value is <c>return</c>ed; and tool
    /// names are <c>namespace.name</c>, so <c>tools.echo</c> is the built-in <c>tools.test.echo</c>.
    /// </summary>
    public static string ForHarness(string workload) => workload switch
    {
        "W1" => "return " + W1,
        "W2" => ReturnLastLine(W2),
        "W3" => "return " + BuiltInEcho(W3),
        "W4" => "return " + BuiltInEcho(W4),
        "W5" => ReturnLastLine(W5),
        "W6" => W6,
        "W7" => "return " + W7,
        "W7b" => "return " + W7B,
        _ => throw new ArgumentException($"unknown workload {workload}", nameof(workload)),
    };

    private static string BuiltInEcho(string source) => source.Replace("tools.echo(", "tools.test.echo(", StringComparison.Ordinal);

    private static string ReturnLastLine(string source)
    {
        var start = source.TrimEnd().LastIndexOf('\n') + 1;
        return string.Concat(source.AsSpan(0, start), "return ", source.AsSpan(start));
    }
}
