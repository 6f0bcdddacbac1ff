using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static ScriptHarness.Benchmarks.Report.Results;

namespace ScriptHarness.Benchmarks.Report;

/// <summary>
/// The one comparison table: our figures (per engine) next to the Node anchors of the same run, with ratios, the
/// targets and whether each is met. Written as markdown; the README keeps a copy between its bench markers.
/// </summary>
internal static class ComparisonReport
{
    public const string BeginMarker = "<!-- bench:begin -->";
    public const string EndMarker = "<!-- bench:end -->";

    private static readonly string[] AnchorColumns = ["qjs-sync", "isolated-vm", "node-vm", "plain"];

    public static string Build(Results anchors, Results ours)
    {
        var engines = ours.Meta?["engines"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : ["jint"];
        var sb = new StringBuilder();
        sb.AppendLine(Header(anchors, ours));
        sb.AppendLine();

        // The workloads of the anchors.
        var head = new List<string> { "workload (median)" };
        head.AddRange(engines.Select(e => $"ours-{e}"));
        head.AddRange(AnchorColumns);
        head.AddRange(engines.SelectMany(e => new[] { $"target ({e})", "met?" }));
        sb.AppendLine("| " + string.Join(" | ", head) + " |");
        sb.AppendLine("|" + string.Concat(head.Select(_ => "---|")));
        foreach (var row in Rows.All)
        {
            var cells = new List<string> { row.Label };
            var ourFigures = engines.Select(e => row.Ours(ours, e)).ToList();
            cells.AddRange(ourFigures.Select(f => f?.Text ?? "–"));
            foreach (var anchor in AnchorColumns)
            {
                cells.Add(AnchorCell(anchors, anchor, row, engines, ourFigures));
            }

            foreach (var engine in engines)
            {
                var target = Targets.For(engine, row.Workload, anchors);
                cells.Add(target?.Text ?? "–");
                cells.Add(target is null ? "–" : Verdict(target.Met(ours, engine)));
            }

            sb.AppendLine("| " + string.Join(" | ", cells) + " |");
        }

        sb.AppendLine();
        sb.AppendLine("Ratios are ours ÷ anchor from the same run (below 1× = ours faster or smaller). Ours: W1 through the whole harness "
            + "(`HarnessPipeline.RunAsync`, reply with one `return 1+1` block; engine layer alone in brackets); W2–W7b through the engine "
            + "layer (factory → new sandbox → `RunAsync`, real tool facade, `test.echo`). W3/W4 run with `MaxToolCalls` 1000/100, "
            + "W4 with `MaxConcurrentToolCalls` 100 so the bridge, not the per-script limit (default 4), is measured, and a 1 GiB budget "
            + "(Jint's memory limit is an allocation budget). W5's raw-Jint baseline is a fresh Jint engine with our default limits on "
            + "the verbatim source; Jint's W5, ours and raw, is the median of three processes (tiered PGO leaves about one process in "
            + "six in a slow mode, ours and raw Jint alike). W7's RSS is the whole child process's peak (VmHWM), runtime included; in Process isolation "
            + "(ours-v8-process) that is the host's alone, and the workers' peak (their VmHWM, sampled every 10 ms) is given apart.");
        sb.AppendLine();

        // The harness's own targets.
        sb.AppendLine("| harness | " + string.Join(" | ", engines.Select(e => $"ours-{e}")) + " | target | met? |");
        sb.AppendLine("|---|" + string.Concat(engines.Select(_ => "---|")) + "---|---|");
        foreach (var extra in Targets.Harness)
        {
            var values = engines.Select(e => extra.Text(ours, e)).ToList();
            var verdict = extra.Met is null
                ? "–"
                : string.Join(" / ", engines.Select(e => extra.AppliesTo?.Invoke(e) == false ? "–" : Verdict(extra.Met(ours, e))));
            sb.AppendLine($"| {extra.Label} | {string.Join(" | ", values)} | {extra.Target} | {verdict} |");
        }

        return sb.ToString();
    }

    /// <summary>Replaces the text between the bench markers of <paramref name="readmePath"/> with <paramref name="table"/>.</summary>
    public static bool UpdateReadme(string readmePath, string table)
    {
        var text = File.ReadAllText(readmePath);
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return false;
        }

        var updated = text[..(begin + BeginMarker.Length)] + "\n" + table.TrimEnd() + "\n" + text[end..];
        File.WriteAllText(readmePath, updated);
        return true;
    }

    private static string Verdict(bool? met) => met switch
    {
        true => "met",
        false => "**missed**",
        null => "no data",
    };

    private static string AnchorCell(Results anchors, string anchor, Row row, List<string> engines, List<Figure?> ours)
    {
        if (row.Workload == "rss")
        {
            return Rows.AnchorPeakRss(anchors, anchor)?.Text ?? "–";
        }

        var record = anchors.Get(anchor, row.Workload);
        if (record is null)
        {
            return anchors.Records.Any(r => Str(r, "anchor") == anchor) || anchors.Meta is null ? "–" : "not installed";
        }

        if (record["skipped"] is not null)
        {
            return "n/a";
        }

        var figure = row.Anchor(record);
        if (figure is null)
        {
            return Bool(record, "ok") == false ? "FAIL" : "–";
        }

        var ratios = engines.Select((e, i) => ours[i] is { Value: > 0 } o && figure.Value > 0
                ? (engines.Count > 1 ? e + " " : "ours ") + Format.Ratio(o.Value / figure.Value)
                : null)
            .Where(x => x is not null);
        var r = string.Join(", ", ratios);
        return r.Length > 0 ? $"{figure.Text} · {r}" : figure.Text;
    }

    private static string Header(Results anchors, Results ours)
    {
        var m = ours.Meta;
        var n = anchors.Meta;
        var date = Str(m, "date") is { } d ? d[..Math.Min(16, d.Length)].Replace('T', ' ') + " UTC" : "?";
        var node = n is null ? "Node anchors not run" : $"Node {Str(n, "node")} (V8 {Str(n, "v8")})";
        var packages = n?["packages"] is JsonObject p
            ? string.Join(", ", p.Where(kv => kv.Value is not null && kv.Key is "quickjs-emscripten" or "isolated-vm").Select(kv => $"{kv.Key} {kv.Value}"))
            : string.Empty;
        if (n is not null && n["packages"]?["isolated-vm"] is null)
        {
            packages += (packages.Length > 0 ? "; " : string.Empty) + "isolated-vm not installed (optional; its column is empty)";
        }

        // The machine's own load is the one before the comparison started (compare.sh); the one read when our run
        // started also counts the anchors that ran just before it, so it is only the fallback.
        var before = Str(m, "loadavg_before_run");
        var load = before ?? Str(m, "loadavg");
        var when = before is null ? "when our run started" : "before the comparison started";
        var loadNote = load is not null && double.TryParse(load, NumberStyles.Float, CultureInfo.InvariantCulture, out var l) && l > 1.0
            ? $" Load average {load} {when}: other work shared the machine, so these figures are provisional."
            : load is null ? string.Empty : $" Load average {load} {when}.";
        return $"Measured {date} on {Str(m, "cpu") ?? "?"} ({Num(m, "cores")} cores, {Num(m, "total_mem_mb") / 1024:0} GiB), "
            + $"{Str(m, "platform")}, {Str(m, "dotnet")}, Jint {m?["packages"]?["Jint"]}; {node}{(packages.Length > 0 ? ", " + packages : string.Empty)}. "
            + $"Ours and the anchors ran one after the other in one `bench/compare.sh` run; each (anchor, workload) in its own process."
            + loadNote;
    }
}
