using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>W5 (fib(25)) on our Jint sandbox against raw Jint with the same limits: the Ratio column is the target's ratio (≤ 1.1).</summary>
[MemoryDiagnoser]
public class W5RatioBenchmarks
{
    private static readonly string Ours = Sources.ForHarness("W5");
    private JintEngineFactory _factory = null!;
    private EngineHarness _harness = null!;

    [GlobalSetup]
    public void Setup()
    {
        _factory = new JintEngineFactory();
        _harness = new EngineHarness(_factory, ScriptLimits.Default);
    }

    [GlobalCleanup]
    public void Cleanup() => _harness.Dispose();

    [Benchmark(Baseline = true, Description = "raw Jint, same limits")]
    public double RawJint() => Workloads.RawJint.Evaluate(Measure.Fresh(Sources.W5), ScriptLimits.Default);

    [Benchmark(Description = "ours (Jint sandbox)")]
    public ValueTask<ScriptOutcome> OursJint() => _harness.RunAsync(Measure.Fresh(Ours));
}
