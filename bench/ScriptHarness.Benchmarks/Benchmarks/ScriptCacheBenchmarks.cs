using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>
/// The script caches on the hit path (models repeat themselves): W2's 30-line script through the whole harness,
/// the same reply every time against a reply made unique by a trailing comment (the baseline: every cache misses).
/// </summary>
[MemoryDiagnoser]
public class ScriptCacheBenchmarks : PipelineBenchmarkBase
{
    private static readonly string Reply = "<tool-calls>\n" + Sources.ForHarness("W2") + "\n</tool-calls>";

    [Benchmark(Baseline = true, Description = "W2 script, caches miss (unique reply)")]
    public ValueTask<ScriptOutcome?> Miss() => Harness.RunAsync(Measure.Fresh(Reply));

    [Benchmark(Description = "W2 script, caches hit (same reply)")]
    public ValueTask<ScriptOutcome?> Hit() => Harness.RunAsync(Reply);
}
