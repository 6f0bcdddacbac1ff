using System.Diagnostics;
using System.Text.Json.Nodes;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;
using static ScriptHarness.Benchmarks.Compact.Measure;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>W1–W7b and tool-call marshalling through our engine layer (factory → sandbox → RunAsync, real tool facade).</summary>
internal static class EngineWorkloads
{
    /// <summary>W3: 1000 calls per script; Jint's memory limit is an allocation budget, and each call spends some of it.</summary>
    public static readonly ScriptLimits W3Limits = ScriptLimits.Default with { MaxToolCalls = 1000, MemoryBytes = 1024L * 1024 * 1024 };

    /// <summary>W4: 100 calls in flight at once, so the bridge, not the per-script concurrency limit (default 4), is measured.</summary>
    public static readonly ScriptLimits W4Limits = ScriptLimits.Default with { MaxToolCalls = 100, MaxConcurrentToolCalls = 100, MemoryBytes = 1024L * 1024 * 1024 };

    public static readonly ScriptLimits W6Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(DeadlineMs) };

    /// <summary>W7/W7b: 32 MiB, with a long timeout so the memory limit is what stops the script.</summary>
    public static readonly ScriptLimits W7Limits = ScriptLimits.Default with { MemoryBytes = MemoryLimitBytes, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Marshalling: up to 100 calls per script, arguments up to 64 KB, results up to 1 MB.</summary>
    public static readonly ScriptLimits MarshalLimits = ScriptLimits.Default with
    {
        MaxToolCalls = MarshalScripts.Calls, MemoryBytes = 4L * 1024 * 1024 * 1024, MaxReturnValueBytes = 1024 * 1024,
    };

    public const int DeadlineMs = 100;
    public const long MemoryLimitBytes = 32L * 1024 * 1024;

    public static async Task<JsonObject> RunAsync(string engine, string workload, string variant)
    {
        var factory = BenchEngines.Create(engine);
        // W7 grows a worker to its limit within a second: sampled closely. The others only need the worker's size.
        var workers = WorkerRss.Start(factory, TimeSpan.FromMilliseconds(workload == "W7" ? 10 : 250));
        try
        {
            var m = workload switch
            {
                "W1" or "W2" or "W5" => await Plain(factory, workload, ScriptLimits.Default),
                "W3" when variant.StartsWith(AtOnce, StringComparison.Ordinal) => await ToolCallsAtOnce(factory, Scripts(variant)),
                "W3" => await ToolCalls(factory, "W3", W3Limits),
                "W4" => await ToolCalls(factory, "W4", W4Limits),
                "W6" => await W6(factory),
                "W7" => await W7(factory),
                "W7b" => await W7b(factory),
                "marshal" => await Marshal(factory, variant),
                _ => throw new ArgumentException($"unknown engine workload {workload}"),
            };
            if (workers is not null)
            {
                // Process isolation: the scripts' memory is in the workers; maxrss_kb stays the host's own.
                var (peakKb, count) = workers.Stop();
                m["worker_maxrss_kb"] = peakKb;
                m["workers_seen"] = count;
            }

            return m;
        }
        finally
        {
            await BenchEngines.DisposeAsync(factory);
        }
    }

    private static async Task<JsonObject> Plain(IScriptEngineFactory factory, string workload, ScriptLimits limits)
    {
        using var harness = new EngineHarness(factory, limits);
        var source = Sources.ForHarness(workload);
        var expected = Sources.Expected(workload);
        var m = await Measure.RunAsync(workload, _ => harness.RunAsync(Fresh(source)), o => OutcomeCheck.Value(o, expected));
        m["desc"] = workload switch
        {
            "W1" => "engine layer: new sandbox + `return 1+1` + dispose, real tool facade (per script)",
            "W2" => "engine layer: new sandbox per script + 30-line string/array script (per script)",
            _ => "engine layer: fib(25) recursive, new sandbox per script (per script)",
        };
        return m;
    }

    private static async Task<JsonObject> ToolCalls(IScriptEngineFactory factory, string workload, ScriptLimits limits)
    {
        using var harness = new EngineHarness(factory, limits);
        var source = Sources.ForHarness(workload);
        var expected = Sources.Expected(workload);
        var m = await Measure.RunAsync(workload, _ => harness.RunAsync(Fresh(source)), o => OutcomeCheck.Value(o, expected));
        if (workload == "W3")
        {
            m["per_call_median_us"] = R3(m["median_us"]!.GetValue<double>() / 1000);
            m["per_call_p95_us"] = R3(m["p95_us"]!.GetValue<double>() / 1000);
            m["desc"] = "engine layer: 1000 sequential await tools.test.echo({i}) through the tool facade (median_us per script; per_call_* = /1000)";
        }
        else
        {
            m["desc"] = "engine layer: await Promise.all(100 x tools.test.echo({i})) through the tool facade (per script)";
        }

        m["limits"] = $"MaxToolCalls {limits.MaxToolCalls}, MaxConcurrentToolCalls {limits.MaxConcurrentToolCalls}, MemoryBytes {limits.MemoryBytes / 1048576} MiB";
        return m;
    }

    /// <summary>W3's variant <c>at-once-N</c>: N scripts of W3 at the same time.</summary>
    public const string AtOnce = "at-once-";

    private static int Scripts(string variant) =>
        int.TryParse(variant.AsSpan(AtOnce.Length), System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
            ? n
            : throw new ArgumentException($"W3 variant {variant}: {AtOnce}N with N from 1 to 64");

    /// <summary>
    /// W3 run by <paramref name="scripts"/> scripts at once, each on its own sandbox (in Process isolation, its own worker
    /// while the pool has one): what tool-heavy scripts cost each other on the machine's cores. Per call is the iteration's
    /// wall time over all the calls of all the scripts.
    /// </summary>
    private static async Task<JsonObject> ToolCallsAtOnce(IScriptEngineFactory factory, int scripts)
    {
        using var harness = new EngineHarness(factory, W3Limits);
        var source = Sources.ForHarness("W3");
        var expected = Sources.Expected("W3");
        var m = await Measure.RunAsync("W3", _ => new ValueTask<ScriptOutcome[]>(RunAll()),
            outcomes => outcomes.Select(o => OutcomeCheck.Value(o, expected)).FirstOrDefault(bad => bad is not null));
        var calls = scripts * 1000.0;
        m["per_call_median_us"] = R3(m["median_us"]!.GetValue<double>() / calls);
        m["per_call_p95_us"] = R3(m["p95_us"]!.GetValue<double>() / calls);
        m["desc"] = $"engine layer: {scripts} scripts at once, each 1000 sequential await tools.test.echo({{i}}) (median_us per iteration; per_call_* = /{calls:0})";
        m["limits"] = $"MaxToolCalls {W3Limits.MaxToolCalls}, MemoryBytes {W3Limits.MemoryBytes / 1048576} MiB";
        return m;

        Task<ScriptOutcome[]> RunAll() => Task.WhenAll(Enumerable.Range(0, scripts).Select(_ => harness.RunAsync(Fresh(source)).AsTask()));
    }

    private static async Task<JsonObject> W6(IScriptEngineFactory factory)
    {
        using var harness = new EngineHarness(factory, W6Limits);
        string? lastError = null;
        var m = await Measure.RunAsync("W6", _ => harness.RunAsync(Fresh(Sources.ForHarness("W6"))), o =>
        {
            lastError = o.Error?.ToString();
            return OutcomeCheck.Error(o, ScriptErrorCode.Timeout);
        });
        m["desc"] = $"engine layer: while(true){{}} with a {DeadlineMs} ms script timeout: time until RunAsync returns";
        m["overshoot_median_ms"] = R3((m["median_us"]!.GetValue<double>() / 1000) - DeadlineMs);
        m["overshoot_p95_ms"] = R3((m["p95_us"]!.GetValue<double>() / 1000) - DeadlineMs);
        m["guest_error"] = lastError;
        m["usable_after"] = await UsableAfter(factory);
        return m;
    }

    private static async Task<JsonObject> W7(IScriptEngineFactory factory)
    {
        using var harness = new EngineHarness(factory, W7Limits);
        var rssBefore = MaxRssKb();
        var samples = new List<double>();
        var usable = new JsonArray();
        var stopped = true;
        string? error = null;
        for (var i = 0; i < Config("W7").MinIterations; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var outcome = await harness.RunAsync(Fresh(Sources.ForHarness("W7")));
            samples.Add(Us(Stopwatch.GetTimestamp() - t0));
            // In Process isolation a script over the worker's hard caps ends with engine_crashed: also a clean typed stop.
            stopped &= outcome.Error?.Code == ScriptErrorCode.MemoryLimit
                || (outcome.Error?.Code == ScriptErrorCode.EngineCrashed && factory.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated));
            error = outcome.Error?.ToString() ?? "not stopped";
            usable.Add(await UsableAfter(factory));
        }

        var m = Stats(samples);
        m["desc"] = "engine layer: allocate in a loop with ScriptLimits.MemoryBytes = 32 MiB: time until RunAsync returns";
        m["ok"] = stopped;
        m["stopped_cleanly"] = stopped && usable.All(x => x!.GetValue<bool>());
        m["guest_error"] = error;
        m["usable_after"] = usable;
        m["maxrss_before_kb"] = rssBefore;
        m["limit_kb"] = MemoryLimitBytes / 1024;
        return m;
    }

    private static async Task<JsonObject> W7b(IScriptEngineFactory factory)
    {
        using var harness = new EngineHarness(factory, W7Limits);
        var samples = new List<double>();
        var accepted = new JsonArray();
        var enforced = true;
        string? error = null;
        for (var i = 0; i < Config("W7b").MinIterations; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var outcome = await harness.RunAsync(Fresh(Sources.ForHarness("W7b")));
            samples.Add(Us(Stopwatch.GetTimestamp() - t0));
            if (outcome.Status == ScriptStatus.Ok)
            {
                enforced = false;
                accepted.Add(R2(outcome.Value!.GetValue<double>() / 1048576));
            }
            else
            {
                accepted.Add(0);
                error = outcome.Error?.ToString();
            }
        }

        var m = Stats(samples);
        m["desc"] = "engine layer: keep 10 x 20 MiB ArrayBuffers under ScriptLimits.MemoryBytes = 32 MiB: refused or not?";
        m["ok"] = true;
        m["limit_enforced"] = enforced;
        m["accepted_mib"] = accepted;
        m["guest_error"] = error;
        return m;
    }

    /// <summary>Tool-call marshalling by argument size: the same object echoed N times; per call = script / N.</summary>
    private static async Task<JsonObject> Marshal(IScriptEngineFactory factory, string variant)
    {
        var shape = MarshalScripts.For(variant, MarshalScripts.CompactCalls(variant));
        using var harness = new EngineHarness(factory, MarshalLimits);
        var m = await Measure.RunAsync(MarshalScripts.IsLarge(variant) ? "marshal-large" : "marshal", _ => harness.RunAsync(Fresh(shape.Source)), o => OutcomeCheck.Value(o, (double)shape.ArgumentBytes));
        m["per_call_median_us"] = R3(m["median_us"]!.GetValue<double>() / shape.Calls);
        m["per_call_p95_us"] = R3(m["p95_us"]!.GetValue<double>() / shape.Calls);
        m["argument_bytes"] = shape.ArgumentBytes;
        m["json_round_trip_us"] = R3(JsonRoundTrip.MedianMicroseconds(shape.Json));
        m["calls_per_script"] = shape.Calls;
        m["desc"] = $"engine layer: {shape.Calls} sequential await tools.test.echo(a) with a {shape.ArgumentBytes}-byte JSON argument (per_call_* = script / {shape.Calls})";
        return m;
    }

    private static async Task<bool> UsableAfter(IScriptEngineFactory factory)
    {
        using var harness = new EngineHarness(factory, ScriptLimits.Default);
        return OutcomeCheck.Value(await harness.RunAsync(Sources.ForHarness("W1")), 2.0) is null;
    }
}
