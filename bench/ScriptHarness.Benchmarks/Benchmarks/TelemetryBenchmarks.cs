using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>
/// The telemetry layers on the default engine (Jint), through the whole harness: W1 (one trivial block, per script) and
/// W3 (one block of 1000 sequential echo calls, per script), plain (the baseline) against the layers with nobody listening and with an
/// ActivityListener and a MeterListener taking everything (<see cref="TelemetrySetup"/>). The <c>Ratio</c> column is
/// idle ÷ plain and listening ÷ plain; <c>Allocated</c> shows what the layers add.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private TelemetrySetup _setup = null!;

    [Params("W1", "W3")]
    public string Workload { get; set; } = "W1";

    [GlobalSetup(Target = nameof(Plain))]
    public void SetupPlain() => _setup = new TelemetrySetup(KnownEngines.Jint, Workload, TelemetrySetup.Plain);

    [GlobalSetup(Target = nameof(Idle))]
    public void SetupIdle() => _setup = new TelemetrySetup(KnownEngines.Jint, Workload, TelemetrySetup.Idle);

    [GlobalSetup(Target = nameof(Listening))]
    public void SetupListening() => _setup = new TelemetrySetup(KnownEngines.Jint, Workload, TelemetrySetup.Listening);

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    [Benchmark(Baseline = true, Description = "plain harness")]
    public ValueTask<ScriptOutcome?> Plain() => Run();

    [Benchmark(Description = "telemetry layers, nobody listening")]
    public ValueTask<ScriptOutcome?> Idle() => Run();

    [Benchmark(Description = "telemetry layers, listener sampling everything")]
    public ValueTask<ScriptOutcome?> Listening() => Run();

    private ValueTask<ScriptOutcome?> Run() => _setup.Harness.RunAsync(Measure.Fresh(_setup.Reply));
}
