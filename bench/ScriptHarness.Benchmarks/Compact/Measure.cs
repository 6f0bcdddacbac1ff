using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>Iteration settings of one workload: warm-up count and minimum time, then iterate until a budget or a cap.</summary>
internal sealed record IterationConfig(int Warmup, int MinIterations, int MaxIterations, int BudgetMs, int WarmupMinMs = 0);

/// <summary>
/// The measurement method of shared/anchors (bench.mjs and engine-floor): warm-up, then iterate until the time budget
/// (once the minimum count is reached) or the cap; median, p95 (nearest rank), min, max, mean in microseconds, timed
/// with <see cref="Stopwatch.GetTimestamp"/>. As in engine-floor, warm-up has a time floor on top of its count, so the
/// tiered JIT has promoted the hot methods before timing starts (see <see cref="WarmupFloorMs"/>).
/// </summary>
internal static class Measure
{
    /// <summary>
    /// Warm-up floor of the timed workloads. engine-floor's 500 ms is enough for raw Jint's 7 µs scripts, not for ours:
    /// a fresh process spends seconds tiering up Jint's interpreter and our prelude's paths (W1 medians per 500 ms window
    /// fell from ~900 to ~300 µs over the first 6 s on 2 busy cores), so our floor is 4 s (still "at least 500 ms").
    /// </summary>
    public const int WarmupFloorMs = 4000;

    // Counts, caps and budgets of W1–W7b copied from bench.mjs ITER; the others are ours.
    private static readonly Dictionary<string, IterationConfig> Iterations = new(StringComparer.Ordinal)
    {
        ["W1"] = new(20, 30, 3000, 2500, WarmupFloorMs),
        ["W2"] = new(20, 30, 2000, 2500, WarmupFloorMs),
        ["W3"] = new(3, 15, 300, 3000, WarmupFloorMs),
        ["W4"] = new(10, 30, 3000, 2500, WarmupFloorMs),
        ["W5"] = new(3, 15, 300, 3000, WarmupFloorMs),
        ["W6"] = new(1, 10, 10, 0),
        ["W7"] = new(0, 5, 5, 0),
        ["W7b"] = new(0, 3, 3, 0),
        ["marshal"] = new(10, 30, 3000, 2500, WarmupFloorMs),
        ["marshal-large"] = new(2, 10, 100, 2500, WarmupFloorMs),
        ["detector"] = new(3, 10, 200, 3000, 1000),
    };

    private static long _unique;

    public static bool Quick => Environment.GetEnvironmentVariable("BENCH_QUICK") == "1";

    public static IterationConfig Config(string key)
    {
        var c = Iterations[key];
        return Quick ? new(Math.Min(c.Warmup, 3), Math.Min(c.MinIterations, 5), Math.Min(c.MaxIterations, 20), Math.Min(c.BudgetMs, 300)) : c;
    }

    public static JsonObject ConfigTable()
    {
        var o = new JsonObject();
        foreach (var (k, c) in Iterations)
        {
            o[k] = new JsonObject
            {
                ["warmup"] = c.Warmup, ["warmupMinMs"] = c.WarmupMinMs, ["minIters"] = c.MinIterations,
                ["maxIters"] = c.MaxIterations, ["budgetMs"] = c.BudgetMs,
            };
        }

        return o;
    }

    /// <summary>A unique <c>//n</c> suffix per evaluated source, as in bench.mjs: every script is a new script.</summary>
    public static string Fresh(string source) => source + "\n//" + Interlocked.Increment(ref _unique).ToString(CultureInfo.InvariantCulture);

    public static double Us(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    public static double R2(double x) => Math.Round(x * 100) / 100;

    public static double R3(double x) => Math.Round(x * 1000) / 1000;

    public static JsonObject Stats(IReadOnlyList<double> samplesUs)
    {
        var s = samplesUs.Order().ToArray();
        var n = s.Length;
        double Q(double p) => s[Math.Min(n - 1, Math.Max(0, (int)Math.Ceiling(p * n) - 1))];
        var median = n % 2 == 1 ? s[(n - 1) / 2] : (s[(n / 2) - 1] + s[n / 2]) / 2;
        return new JsonObject
        {
            ["n"] = n,
            ["median_us"] = R2(median),
            ["p95_us"] = R2(Q(0.95)),
            ["min_us"] = R2(s[0]),
            ["max_us"] = R2(s[n - 1]),
            ["mean_us"] = R2(s.Average()),
        };
    }

    /// <summary>
    /// Times <paramref name="run"/>(i) (the call and its await only). <paramref name="check"/> returns null when the
    /// result is right, else what was wrong; mismatches make the record not ok.
    /// </summary>
    public static async Task<JsonObject> RunAsync<T>(string key, Func<int, ValueTask<T>> run, Func<T, string?> check)
    {
        var c = Config(key);
        var mismatches = 0;
        string? lastBad = null;
        void Check(T value)
        {
            if (check(value) is { } bad)
            {
                mismatches++;
                lastBad = bad;
            }
        }

        var warm = 0;
        var warmStart = Stopwatch.GetTimestamp();
        var warmMin = (long)(c.WarmupMinMs / 1000.0 * Stopwatch.Frequency);
        while (warm < c.Warmup || Stopwatch.GetTimestamp() - warmStart < warmMin)
        {
            Check(await run(warm++));
        }

        var samples = new List<double>(Math.Min(c.MaxIterations, 4096));
        var budget = (long)(c.BudgetMs / 1000.0 * Stopwatch.Frequency);
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        var alloc0 = GC.GetTotalAllocatedBytes(false);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < c.MaxIterations; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var r = await run(warm + i);
            var t1 = Stopwatch.GetTimestamp();
            samples.Add(Us(t1 - t0));
            Check(r);
            if (samples.Count >= c.MinIterations && t1 - start >= budget)
            {
                break;
            }
        }

        var alloc1 = GC.GetTotalAllocatedBytes(false);
        var o = new JsonObject { ["warmup"] = warm };
        foreach (var kv in Stats(samples))
        {
            o[kv.Key] = kv.Value!.DeepClone();
        }

        o["ok"] = mismatches == 0;
        if (mismatches > 0)
        {
            o["error"] = $"result mismatch x{mismatches}: {Truncate(lastBad ?? "null", 300)}";
        }

        // Process-wide managed allocation per iteration: the sandbox threads' and the thread pool's included.
        o["managed_alloc_kb_per_iter"] = R2((alloc1 - alloc0) / 1024.0 / samples.Count);
        o["gc_counts"] = new JsonArray(GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
        return o;
    }

    public static string Truncate(string s, int n) => s.Length > n ? s[..n] : s;

    /// <summary>VmHWM (peak resident set) of this process in KiB, like Node's <c>resourceUsage().maxRSS</c>.</summary>
    public static long MaxRssKb() => ProcStatusKb("VmHWM:");

    public static long RssKb() => ProcStatusKb("VmRSS:");

    private static long ProcStatusKb(string field)
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }

        return Environment.WorkingSet / 1024;
    }
}
