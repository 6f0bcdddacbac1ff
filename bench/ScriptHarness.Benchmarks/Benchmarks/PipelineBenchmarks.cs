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
public class PipelineBenchmarks : PipelineBenchmarkBase
{
    private const int RepliesPerOperation = 1000;

    [Benchmark(Description = "W1 whole harness, one trivial block")]
    public ValueTask<ScriptOutcome?> WholeHarness() => Harness.RunAsync(Measure.Fresh(PipelineHarness.TrivialReply));

    [Benchmark(Description = "throughput per script (1000 replies, default parallelism)", OperationsPerInvoke = RepliesPerOperation)]
    public Task Throughput()
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Harness.Options.MaxParallelScripts).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < RepliesPerOperation)
            {
                await Harness.RunAsync(Measure.Fresh(PipelineHarness.TrivialReply));
            }
        })));
    }
}
