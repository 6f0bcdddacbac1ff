using ScriptHarness.AI.Telemetry;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// The cost of the telemetry layers (<c>WithTelemetry</c> around the engine and around the harness) on the whole harness,
/// for W1 (one trivial block) and W3 (one block of 1000 sequential <c>test.echo</c> calls): <c>plain</c> without the
/// layers, <c>idle</c> with both layers and nobody listening, <c>listening</c> with both layers and a
/// <see cref="TelemetryListener"/> that takes every span and measurement.
/// </summary>
internal sealed class TelemetrySetup : IDisposable
{
    public const string Plain = "plain";
    public const string Idle = "idle";
    public const string Listening = "listening";

    private readonly IScriptEngineFactory _factory;
    private readonly ScriptHarnessTelemetry? _telemetry;

    public TelemetrySetup(string engine, string workload, string variant)
    {
        if (workload is not ("W1" or "W3") || variant is not (Plain or Idle or Listening))
        {
            throw new ArgumentException($"unknown telemetry workload {workload}-{variant}");
        }

        Workload = workload;
        _factory = BenchEngines.Create(engine);
        var layered = _factory;
        Func<IScriptHarness, IScriptHarness>? wrap = null;
        if (variant != Plain)
        {
            var telemetry = _telemetry = new ScriptHarnessTelemetry();
            layered = _factory.WithTelemetry(telemetry);
            wrap = h => h.WithTelemetry(telemetry);
            Listener = variant == Listening ? new TelemetryListener(telemetry) : null;
        }

        // W3 as the engine-layer W3 runs it (1000 calls, a 1 GiB allocation budget), and a reply may make them all.
        var options = workload == "W3" ? new ScriptHarnessOptions { Limits = EngineWorkloads.W3Limits, MaxToolCallsPerReply = 1000 } : null;
        Harness = new PipelineHarness(layered, options, wrap);
        Reply = workload == "W3" ? "<tool-calls>\n" + Sources.ForHarness("W3") + "\n</tool-calls>" : PipelineHarness.TrivialReply;
    }

    /// <summary>The variants, in the order the rows show them.</summary>
    public static IReadOnlyList<string> Variants { get; } = [Plain, Idle, Listening];

    public string Workload { get; }

    public PipelineHarness Harness { get; }

    /// <summary>The reply of the workload: one block.</summary>
    public string Reply { get; }

    /// <summary>The listener of the <c>listening</c> variant; null for the others.</summary>
    public TelemetryListener? Listener { get; }

    /// <summary>Whether anything listens to this setup's spans (false for <c>plain</c> and <c>idle</c>).</summary>
    public bool SpansObserved => _telemetry?.Source.HasListeners() == true;

    public string? Check(ScriptOutcome? outcome) => OutcomeCheck.Value(outcome, Sources.Expected(Workload));

    public void Dispose()
    {
        Harness.Dispose();
        Listener?.Dispose();
        _telemetry?.Dispose();
        BenchEngines.DisposeAsync(_factory).AsTask().GetAwaiter().GetResult();
    }
}
