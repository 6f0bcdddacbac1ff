using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>
/// The whole harness (HarnessPipeline.RunAsync: detect → parse → context → run → serialize) on a reply with one
/// `return 1+1` block: time and allocated bytes per script; and throughput, 1,000 such replies at the default
/// parallelism per operation, reported per script.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int RepliesPerOperation = 1000;

    private IScriptEngineFactory _factory = null!;
    private PipelineHarness _harness = null!;

    public static IEnumerable<string> Engines => BenchEngines.Names;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "jint";

    [GlobalSetup]
    public void Setup()
    {
        _factory = BenchEngines.Create(Engine);
        _harness = new PipelineHarness(_factory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _harness.Dispose();
        (_factory as IDisposable)?.Dispose();
    }

    [Benchmark(Description = "W1 whole harness, one trivial block")]
    public ValueTask<ScriptOutcome?> WholeHarness() => _harness.RunAsync(Measure.Fresh(PipelineHarness.TrivialReply));

    [Benchmark(Description = "throughput per script (1000 replies, default parallelism)", OperationsPerInvoke = RepliesPerOperation)]
    public Task Throughput()
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, _harness.Options.MaxParallelScripts).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < RepliesPerOperation)
            {
                await _harness.RunAsync(Measure.Fresh(PipelineHarness.TrivialReply));
            }
        })));
    }
}
