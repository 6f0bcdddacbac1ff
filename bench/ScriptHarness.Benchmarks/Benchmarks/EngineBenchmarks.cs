using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>
/// W1–W5 through our engine layer: factory → new sandbox → RunAsync with the real tool facade and <c>test.echo</c>,
/// on every engine of <see cref="BenchEngines"/>. W3 is reported per call (1000 calls per script), also with the echo
/// started on a tool thread as a tool not declared non-blocking is.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private static readonly string W1 = Sources.ForHarness("W1");
    private static readonly string W2 = Sources.ForHarness("W2");
    private static readonly string W3 = Sources.ForHarness("W3");
    private static readonly string W4 = Sources.ForHarness("W4");
    private static readonly string W5 = Sources.ForHarness("W5");

    private IScriptEngineFactory _factory = null!;
    private EngineHarness _default = null!;
    private EngineHarness _w3 = null!;
    private EngineHarness _w3Threaded = null!;
    private EngineHarness _w4 = null!;

    public static IEnumerable<string> Engines => BenchEngines.Names;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "jint";

    [GlobalSetup]
    public void Setup()
    {
        _factory = BenchEngines.Create(Engine);
        _default = new EngineHarness(_factory, ScriptLimits.Default);
        _w3 = new EngineHarness(_factory, EngineWorkloads.W3Limits);

        // The same echo without the non-blocking declaration: what a host's own tool costs, started on a tool thread.
        _w3Threaded = new EngineHarness(_factory, EngineWorkloads.W3Limits, new ToolRegistry(TestToolSet.Create().Tools.Select(t => t with { NonBlocking = false })));
        _w4 = new EngineHarness(_factory, EngineWorkloads.W4Limits);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _default.Dispose();
        _w3.Dispose();
        _w3Threaded.Dispose();
        _w4.Dispose();
        BenchEngines.DisposeAsync(_factory).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "W1 new sandbox + return 1+1")]
    public ValueTask<ScriptOutcome> W1_Trivial() => _default.RunAsync(Measure.Fresh(W1));

    [Benchmark(Description = "W2 30-line string/array script")]
    public ValueTask<ScriptOutcome> W2_Script() => _default.RunAsync(Measure.Fresh(W2));

    [Benchmark(Description = "W3 per call (1000 sequential echo)", OperationsPerInvoke = 1000)]
    public ValueTask<ScriptOutcome> W3_PerCall() => _w3.RunAsync(Measure.Fresh(W3));

    [Benchmark(Description = "W3 per call, echo on a tool thread", OperationsPerInvoke = 1000)]
    public ValueTask<ScriptOutcome> W3_PerCallThreaded() => _w3Threaded.RunAsync(Measure.Fresh(W3));

    [Benchmark(Description = "W4 Promise.all of 100 echo")]
    public ValueTask<ScriptOutcome> W4_Parallel() => _w4.RunAsync(Measure.Fresh(W4));

    [Benchmark(Description = "W5 fib(25)")]
    public ValueTask<ScriptOutcome> W5_Fib() => _default.RunAsync(Measure.Fresh(W5));
}
