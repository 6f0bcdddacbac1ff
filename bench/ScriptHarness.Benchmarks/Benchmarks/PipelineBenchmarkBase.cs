using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>One whole harness per engine parameter, created once per benchmark run.</summary>
public abstract class PipelineBenchmarkBase
{
    private IScriptEngineFactory _factory = null!;

    public static IEnumerable<string> Engines => BenchEngines.InProcessNames;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "jint";

    private protected PipelineHarness Harness { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _factory = BenchEngines.Create(Engine);
        Harness = new PipelineHarness(_factory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Harness.Dispose();
        (_factory as IDisposable)?.Dispose();
    }
}
