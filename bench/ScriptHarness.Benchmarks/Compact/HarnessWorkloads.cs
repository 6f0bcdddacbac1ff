using System.Diagnostics;
using System.Text.Json.Nodes;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Detection;
using ScriptHarness.Runtime;
using static ScriptHarness.Benchmarks.Compact.Measure;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>The whole harness (W1, throughput, memory flatness), the detector, and raw Jint's W5 baseline.</summary>
internal static class HarnessWorkloads
{
    public const int ThroughputReplies = 10_000;
    private const int ThroughputWarmupReplies = 1_000;

    /// <summary>W1 through the whole harness: HarnessPipeline.RunAsync on a reply with one `return 1+1` block.</summary>
    public static async Task<JsonObject> W1Pipeline(string engine)
    {
        var factory = BenchEngines.Create(engine);
        using var harness = new PipelineHarness(factory);
        var m = await Measure.RunAsync("W1", _ => harness.RunAsync(Fresh(PipelineHarness.TrivialReply)), o => OutcomeCheck.Value(o, 2.0));
        m["desc"] = "whole harness: HarnessPipeline.RunAsync(reply with one `return 1+1` block), enumerated to the end (per script)";
        m["allocated_bytes_per_script"] = Math.Round(m["managed_alloc_kb_per_iter"]!.GetValue<double>() * 1024);
        (factory as IDisposable)?.Dispose();
        return m;
    }

    /// <summary>
    /// The script caches (validation, and the engine's prepared or compiled script): W2's 30-line script through the
    /// whole harness, the same reply every time (hit) or a reply made unique by a trailing comment (miss).
    /// </summary>
    public static async Task<JsonObject> ScriptCache(string engine, string variant)
    {
        var factory = BenchEngines.Create(engine);
        using var harness = new PipelineHarness(factory);
        var reply = "<tool-calls>\n" + Sources.ForHarness("W2") + "\n</tool-calls>";
        var m = await Measure.RunAsync("W2", _ => harness.RunAsync(variant == "hit" ? reply : Fresh(reply)),
            o => OutcomeCheck.Value(o, Sources.Expected("W2")));
        m["desc"] = $"whole harness, W2's script, script caches {(variant == "hit" ? "hit (the same reply each time)" : "missed (a unique reply each time)")} (per script)";
        (factory as IDisposable)?.Dispose();
        return m;
    }

    /// <summary>
    /// 10,000 trivial replies, as many at once as the default MaxParallelScripts (4), through one harness; then the
    /// managed heap after a full collection, compared with the heap after the 1,000-reply warm-up.
    /// </summary>
    public static async Task<JsonObject> Throughput(string engine)
    {
        var factory = BenchEngines.Create(engine);
        using var harness = new PipelineHarness(factory);
        var parallel = harness.Options.MaxParallelScripts;
        var failures = 0;

        async Task RunMany(int count)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    if (OutcomeCheck.Value(await harness.RunAsync(Fresh(PipelineHarness.TrivialReply)), 2.0) is not null)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })));
        }

        var warmStart = Stopwatch.GetTimestamp();
        do
        {
            await RunMany(ThroughputWarmupReplies);
        }
        while (Stopwatch.GetElapsedTime(warmStart) < TimeSpan.FromMilliseconds(Quick ? 0 : WarmupFloorMs));

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var alloc0 = GC.GetTotalAllocatedBytes(false);
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        var t0 = Stopwatch.GetTimestamp();
        await RunMany(ThroughputReplies);
        var elapsed = Stopwatch.GetElapsedTime(t0);
        var alloc1 = GC.GetTotalAllocatedBytes(false);
        var gcs = new JsonArray(GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        (factory as IDisposable)?.Dispose();

        var growth = heapAfter - heapBefore;
        return new JsonObject
        {
            ["desc"] = $"whole harness: {ThroughputReplies} trivial replies, {parallel} at a time (default MaxParallelScripts), one harness",
            ["ok"] = failures == 0,
            ["failures"] = failures,
            ["replies"] = ThroughputReplies,
            ["parallel"] = parallel,
            ["elapsed_ms"] = R2(elapsed.TotalMilliseconds),
            ["scripts_per_s"] = Math.Round(ThroughputReplies / elapsed.TotalSeconds),
            ["managed_alloc_kb_per_iter"] = R2((alloc1 - alloc0) / 1024.0 / ThroughputReplies),
            ["gc_counts"] = gcs,
            ["heap_after_warmup_kb"] = heapBefore / 1024,
            ["heap_after_10000_kb"] = heapAfter / 1024,
            ["heap_growth_bytes"] = growth,
            ["heap_growth_bytes_per_script"] = R2((double)growth / ThroughputReplies),
            // Flat: no per-script retention. 1 MiB over 10,000 scripts is ~100 bytes a script, below any real leak.
            ["memory_flat"] = growth <= 1024 * 1024,
        };
    }

    /// <summary>Detector throughput over a 10 MB reply: the whole string, or streamed in chunks of <paramref name="variant"/> characters.</summary>
    public static async Task<JsonObject> Detector(string variant)
    {
        var reply = DetectorReply.Build();
        var expectedSegments = ToolCallDetector.Detect(reply).Count;
        JsonObject m;
        if (variant == "whole")
        {
            m = await Measure.RunAsync("detector", _ => ValueTask.FromResult(ToolCallDetector.Detect(reply).Count), n => Check(n));
        }
        else
        {
            var chunks = DetectorReply.Chunks(reply, int.Parse(variant.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));
            m = await Measure.RunAsync("detector", async _ =>
            {
                var n = 0;
                await foreach (var segment in StreamingToolCallDetector.DetectAsync(DetectorReply.Stream(chunks)))
                {
                    n++;
                }

                return n;
            }, n => Check(n));
            m["chunks"] = chunks.Length;
        }

        m["reply_bytes"] = reply.Length;
        m["segments"] = expectedSegments;
        m["mb_per_s_median"] = R2(reply.Length / m["median_us"]!.GetValue<double>());
        m["mb_per_s_p95"] = R2(reply.Length / m["p95_us"]!.GetValue<double>());
        m["desc"] = variant == "whole"
            ? "ToolCallDetector.Detect on a 10 MB reply with a block about every 8 KB (MB = 10^6 bytes; ASCII)"
            : $"StreamingToolCallDetector.DetectAsync over the same reply in {variant.Split('-')[1]}-character chunks";
        return m;

        string? Check(int n) => n == expectedSegments ? null : $"{n} segments, expected {expectedSegments}";
    }

    /// <summary>Raw Jint with our limits, a fresh engine per script, on the verbatim W5 source.</summary>
    public static async Task<JsonObject> RawJintW5()
    {
        var m = await Measure.RunAsync("W5", _ => ValueTask.FromResult(RawJint.Evaluate(Fresh(Sources.W5), ScriptLimits.Default)),
            v => v == 75025 ? null : $"got {v}");
        m["desc"] = "raw Jint, our default limits (LimitMemory 96 MiB, TimeoutInterval 30 s, LimitRecursion 256, …), new engine per script: fib(25)";
        return m;
    }
}
