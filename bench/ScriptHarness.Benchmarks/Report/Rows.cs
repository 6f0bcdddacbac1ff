using System.Text.Json.Nodes;
using static ScriptHarness.Benchmarks.Report.Results;

namespace ScriptHarness.Benchmarks.Report;

/// <summary>One row of the comparison: the workload id, how to read our figure and an anchor's.</summary>
internal sealed record Row(string Label, string Workload, Func<Results, string, Figure?> Ours, Func<JsonObject, Figure?> Anchor);

/// <summary>The rows W1–W7b plus peak RSS, in bench.mjs's order, then the CLI's cold start and per-block cost.</summary>
internal static class Rows
{
    public static readonly Row[] All =
    [
        new("W1 cold sandbox + `1+1`", "W1", W1, r => Median(r, "median_us")),
        new("W2 30-line script", "W2", (o, e) => Median(Ours(o, e, "W2"), "median_us"), r => Median(r, "median_us")),
        new("W3 per tool call (1000 seq.)", "W3", (o, e) => Median(Ours(o, e, "W3"), "per_call_median_us"), r => Median(r, "per_call_median_us")),
        new("W4 100 parallel calls, total", "W4", (o, e) => Median(Ours(o, e, "W4"), "median_us"), r => Median(r, "median_us")),
        new("W5 fib(25)", "W5", W5, r => Median(r, "median_us")),
        new("W6 overshoot past 100 ms", "W6", (o, e) => Overshoot(Ours(o, e, "W6"), withP95: true), r => Overshoot(r, withP95: false)),
        new("W7 32 MiB alloc loop", "W7", (o, e) => W7(Ours(o, e, "W7"), withRss: true), r => W7(r, withRss: false)),
        new("W7b 200 MiB of buffers refused?", "W7b", (o, e) => W7b(Ours(o, e, "W7b")), W7b),
        new("peak RSS excl. W7/W7b", "rss", (o, e) => PeakRss(o, "ours-" + e), _ => null),
        // Start-up and the CLI path (bench/tools/cli-bench.mjs): fresh processes, as a user meets them.
        new("CLI cold start → first result line", "cold", (o, e) => Median(Ours(o, e, "cold"), "median_us"), r => Median(r, "median_us")),
        new("CLI per trivial block (20,001 − 2,001 blocks)", "cli-block", (o, e) => Median(Ours(o, e, "cli-block"), "median_us"), _ => null),
    ];

    public static JsonObject? Ours(Results ours, string engine, string workload, string? variant = null)
    {
        var r = ours.Get("ours-" + engine, workload, variant);
        return IsOk(r) ? r : null;
    }

    private static Figure? Median(JsonObject? r, string field) =>
        IsOk(r) && Num(r, field) is { } v ? new Figure(v, Format.Us(v)) : null;

    private static Figure? W1(Results ours, string engine)
    {
        var whole = Median(Ours(ours, engine, "W1", "pipeline"), "median_us");
        var layer = Median(Ours(ours, engine, "W1", "engine"), "median_us");
        // Process isolation runs the engine layer only: its figure stands in brackets on its own.
        return whole is null ? layer is null ? null : layer with { Text = $"– ({layer.Text})" } : whole with { Text = $"**{whole.Text}** ({layer?.Text ?? "–"})" };
    }

    private static Figure? W5(Results ours, string engine)
    {
        var mine = Median(Ours(ours, engine, "W5"), "median_us");
        var raw = engine == "jint" ? Median(ours.Get("jint-raw", "W5") is { } r && IsOk(r) ? r : null, "median_us") : null;
        return mine is null || raw is null ? mine : mine with { Text = $"{mine.Text} (raw Jint {raw.Text}: {Format.Ratio(mine.Value / raw.Value)})" };
    }

    private static Figure? Overshoot(JsonObject? r, bool withP95)
    {
        if (!IsOk(r) || Num(r, "overshoot_median_ms") is not { } v)
        {
            return null;
        }

        var p95 = withP95 && Num(r, "overshoot_p95_ms") is { } p ? $" (p95 {Format.Ms(p)})" : string.Empty;
        return new Figure(v, Format.Ms(v) + p95);
    }

    private static Figure? W7(JsonObject? r, bool withRss)
    {
        if (r is null || Num(r, "median_us") is not { } v)
        {
            return null;
        }

        var how = Bool(r, "stopped_cleanly") == true ? "clean" : r["child_exit"] is not null ? "process dies" : "not clean";
        var host = Num(r, "worker_maxrss_kb") is null ? "maxRSS" : "host maxRSS";
        var rss = withRss && Num(r, "maxrss_kb") is { } kb
            ? $", {host} {Format.Mb(kb)}" + (Num(r, "maxrss_before_kb") is { } before ? $" (+{Format.Mb(kb - before)} over the process before W7)" : string.Empty)
            : string.Empty;
        // Process isolation: the script's memory is the worker's, reported apart from the host's.
        rss += withRss && Num(r, "worker_maxrss_kb") is { } worker ? $", worker peak RSS {Format.Mb(worker)}" : string.Empty;
        return new Figure(v, $"{Format.Us(v)}, {how}{rss}");
    }

    private static Figure? W7b(JsonObject? r) =>
        r is null || Bool(r, "limit_enforced") is not { } enforced ? null
        : new Figure(0, enforced ? "refused" : $"no ({(r["accepted_mib"] as JsonArray)?[0]} MiB kept)");

    private static Figure? PeakRss(Results results, string anchor)
    {
        var records = results.Records
            .Where(r => Str(r, "anchor") == anchor && Str(r, "workload") is "W1" or "W2" or "W3" or "W4" or "W5" or "W6").ToList();
        if (records.Count == 0)
        {
            return null;
        }

        var peak = records.Max(r => Num(r, "maxrss_kb") ?? 0);
        var workers = records.Select(r => Num(r, "worker_maxrss_kb")).OfType<double>().ToList();
        return new Figure(peak, workers.Count == 0 ? Format.Mb(peak) : $"{Format.Mb(peak)} host, {Format.Mb(workers.Max())} worker");
    }

    /// <summary>An anchor's peak RSS over W1–W6, for the RSS row.</summary>
    public static Figure? AnchorPeakRss(Results anchors, string anchor) => PeakRss(anchors, anchor);
}
