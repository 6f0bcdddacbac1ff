using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>
/// Tool-call marshalling by argument size through the facade: out of the engine as JSON, schema validation, echo, back
/// in deep-frozen. Per call (100 calls per script, so a hundredth of a script's fixed cost is included).
/// </summary>
[MemoryDiagnoser]
public class MarshallingBenchmarks
{
    private IScriptEngineFactory _factory = null!;
    private EngineHarness _harness = null!;
    private MarshalScript _script = null!;

    public static IEnumerable<string> Engines => BenchEngines.InProcessNames;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "jint";

    [Params("small", "1k", "64k", "1k-string", "64k-string", "1k-numbers", "64k-numbers")]
    public string Size { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        _factory = BenchEngines.Create(Engine);
        _script = MarshalScripts.For(Size);
        _harness = new EngineHarness(_factory, EngineWorkloads.MarshalLimits);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _harness.Dispose();
        (_factory as IDisposable)?.Dispose();
    }

    [Benchmark(Description = "echo per call", OperationsPerInvoke = MarshalScripts.Calls)]
    public ValueTask<ScriptOutcome> EchoPerCall() => _harness.RunAsync(Measure.Fresh(_script.Source));
}
