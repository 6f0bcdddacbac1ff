using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>One measurement: who (anchor), what (workload id, as in bench.mjs where it has one) and how (variant).</summary>
internal sealed record Pair(string Anchor, string Workload, string Variant);

/// <summary>
/// The compact mode: every (anchor, workload, variant) in its own child process (this program with <c>--child</c>),
/// as bench.mjs and engine-floor do, so JIT state, GC heap and peak RSS are per pair. JSONL on stdout and in the
/// output file: a meta line, one result line per pair, a summary line.
/// </summary>
internal static class CompactRunner
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<Pair> Pairs()
    {
        var pairs = new List<Pair>();
        foreach (var engine in BenchEngines.Names)
        {
            var ours = "ours-" + engine;
            if (engine == "v8-process")
            {
                pairs.AddRange(new[] { "W1", "W3", "W4", "W5", "W7" }.Select(w => new Pair(ours, w, "engine")));
                continue;
            }

            pairs.Add(new(ours, "W1", "pipeline"));
            pairs.Add(new(ours, "W1", "engine"));
            pairs.AddRange(new[] { "W2", "W3", "W4", "W5", "W6", "W7", "W7b" }.Select(w => new Pair(ours, w, "engine")));
            pairs.AddRange(MarshalScripts.Variants.Select(v => new Pair(ours, "marshal", v)));
            pairs.Add(new(ours, "cache", "hit"));
            pairs.Add(new(ours, "cache", "miss"));
            pairs.Add(new(ours, "throughput", "pipeline"));
            pairs.Add(new(ours, "alloc", "components"));
            if (engine == KnownEngines.Jint)
            {
                // The telemetry layers on the default engine: plain, idle and listening, each in its own process.
                pairs.AddRange(TelemetryWorkloads.Variants.Select(v => new Pair(ours, "telemetry", v)));
            }
        }

        pairs.Add(new("jint-raw", "W5", "same-limits"));
        pairs.AddRange(new[] { "whole", "stream-64", "stream-4" }.Select(v => new Pair("ours", "detector", v)));
        return pairs;
    }

    public static string Line(JsonNode node) => node.ToJsonString(JsonOptions);

    /// <summary>Runs one pair in this process and writes its JSON line.</summary>
    public static async Task<int> RunChildAsync(Pair pair)
    {
        var record = new JsonObject { ["type"] = "result", ["anchor"] = pair.Anchor, ["workload"] = pair.Workload, ["variant"] = pair.Variant };
        try
        {
            var engine = pair.Anchor.StartsWith("ours-", StringComparison.Ordinal) ? pair.Anchor["ours-".Length..] : "jint";
            var m = (pair.Anchor, pair.Workload, pair.Variant) switch
            {
                ("jint-raw", "W5", _) => await HarnessWorkloads.RawJintW5(),
                ("ours", "detector", var v) => await HarnessWorkloads.Detector(v),
                (_, "W1", "pipeline") => await HarnessWorkloads.W1Pipeline(engine),
                (_, "throughput", _) => await HarnessWorkloads.Throughput(engine),
                (_, "cache", var v) => await HarnessWorkloads.ScriptCache(engine, v),
                (_, "alloc", _) => await AllocationWorkloads.Components(engine),
                (_, "telemetry", var v) => await TelemetryWorkloads.RunAsync(engine, v),
                (_, var w, var v) => await EngineWorkloads.RunAsync(engine, w, v),
            };
            foreach (var kv in m)
            {
                record[kv.Key] = kv.Value?.DeepClone();
            }

            record["ok"] ??= true;
        }
#pragma warning disable CA1031 // A failing workload is a failed record, and the other pairs still run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            record["ok"] = false;
            record["error"] = Measure.Truncate(e.ToString(), 800);
        }

        record["maxrss_kb"] = Measure.MaxRssKb();
        record["rss_end_kb"] = Measure.RssKb();
        record["loadavg_end"] = LoadAverage();
        foreach (var key in record.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            record.Remove(key);
        }

        await Console.Out.WriteAsync(Line(record) + "\n");
        await Console.Out.FlushAsync();
        return 0;
    }

    /// <summary>Runs the selected pairs, each in a child process; returns the process exit code.</summary>
    public static async Task<int> RunParentAsync(string outFile, ISet<string>? workloads, ISet<string>? anchors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllTextAsync(outFile, string.Empty);
        async Task Emit(JsonNode node)
        {
            var line = Line(node) + "\n";
            await Console.Out.WriteAsync(line);
            await File.AppendAllTextAsync(outFile, line);
        }

        await Emit(Meta());
        var failed = 0;
        long peak = 0;
        foreach (var pair in Pairs())
        {
            if ((workloads is not null && !workloads.Contains(pair.Workload)) || (anchors is not null && !anchors.Contains(pair.Anchor)))
            {
                continue;
            }

            await Console.Error.WriteAsync($"[bench] {pair.Anchor} {pair.Workload} {pair.Variant} ... ");
            var sw = Stopwatch.StartNew();
            var record = await RunMedianProcessAsync(pair);
            var ok = record["ok"]?.GetValue<bool>() == true;
            failed += ok ? 0 : 1;
            var headline = record["per_call_median_us"] is { } pc ? $"per_call={pc}us"
                : record["scripts_per_s"] is { } sps ? $"{sps} scripts/s"
                : record["mb_per_s_median"] is { } mbs ? $"{mbs} MB/s"
                : record["tool_call_bytes"] is { } tcb ? $"{tcb} B per tool call, {record["whole_harness_trivial_script_bytes_all_threads"]} B per trivial script"
                : record["median_us"] is { } mu ? $"median={mu}us" : string.Empty;
            await Console.Error.WriteLineAsync($"{(ok ? "ok" : "FAILED")} {headline} ({sw.Elapsed.TotalSeconds:F1}s)");
            await Emit(record);
            if (pair.Workload is not ("W7" or "W7b") && record["maxrss_kb"] is { } rss)
            {
                peak = Math.Max(peak, rss.GetValue<long>());
            }
        }

        await Emit(new JsonObject { ["type"] = "summary", ["peak_rss_kb_excl_W7"] = peak, ["failed"] = failed });
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Jint's W5 (ours and raw) runs in three processes and keeps the median one: in about one process in six, tiered PGO
    /// settles fib's interpreter loop in a slow mode (measured 2026-12-05: 45-47 ms most runs, 75-90 ms in the others, on
    /// ours and on raw Jint alike; 75-78 ms every run with <c>DOTNET_TieredPGO=0</c>), so one process per pair compared
    /// a coin toss. Every process's median is kept in <c>process_medians_us</c>.
    /// </summary>
    private static async Task<JsonObject> RunMedianProcessAsync(Pair pair)
    {
        var timeout = TimeSpan.FromMinutes(3);
        if (pair is not { Workload: "W5", Anchor: "ours-jint" or "jint-raw" })
        {
            return await RunOneAsync(pair, timeout);
        }

        var records = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            var one = await RunOneAsync(pair, timeout);
            if (one["ok"]?.GetValue<bool>() != true || one["median_us"] is null)
            {
                return one; // a failure is reported as it is, not outvoted
            }

            records.Add(one);
        }

        records.Sort((a, b) => a["median_us"]!.GetValue<double>().CompareTo(b["median_us"]!.GetValue<double>()));
        var median = records[1];
        median["process_medians_us"] = new JsonArray(records.Select(r => (JsonNode?)JsonValue.Create(r["median_us"]!.GetValue<double>())).ToArray());
        return median;
    }

    private static async Task<JsonObject> RunOneAsync(Pair pair, TimeSpan timeout)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(CompactRunner).Assembly.Location);
        }

        foreach (var a in new[] { "--child", pair.Anchor, pair.Workload, pair.Variant })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true); // our own child only
            await process.WaitForExitAsync();
        }

        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith('{'));
        var err = (await stderr).Trim();
        var record = line is not null
            ? JsonNode.Parse(line)!.AsObject()
            : new JsonObject
            {
                ["type"] = "result", ["anchor"] = pair.Anchor, ["workload"] = pair.Workload, ["variant"] = pair.Variant, ["ok"] = false,
                ["error"] = $"child produced no result (exit {(timedOut ? "killed after timeout" : process.ExitCode.ToString(CultureInfo.InvariantCulture))})",
            };
        if (err.Length > 0)
        {
            record["child_stderr_tail"] = err.Length > 400 ? err[^400..] : err;
        }

        return record;
    }

    /// <summary>The 1-minute load average: the machine may be busy with other work, which the figures then carry.</summary>
    private static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;

    private static JsonObject Meta()
    {
        var cpu = "?";
        long memoryMb = 0;
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            var mem = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memoryMb = mem is null ? 0 : long.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }

        return new JsonObject
        {
            ["type"] = "meta",
            ["date"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["platform"] = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}",
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["total_mem_mb"] = memoryMb,
            ["loadavg"] = LoadAverage(),
            ["loadavg_before_run"] = Environment.GetEnvironmentVariable("BENCH_LOADAVG_BEFORE"),
            ["gc"] = $"{(GCSettings.IsServerGC ? "server" : "workstation")}, latency {GCSettings.LatencyMode}",
            ["engines"] = new JsonArray([.. BenchEngines.Names.Select(n => JsonValue.Create(n))]),
            ["packages"] = new JsonObject { ["Jint"] = typeof(Jint.Engine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] },
            ["quick"] = Measure.Quick,
            ["iterations"] = Measure.ConfigTable(),
            ["timer"] = "Stopwatch.GetTimestamp; median/p95 (nearest rank) in microseconds after warm-up",
        };
    }
}
