using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ScriptHarness.AI.Telemetry;

/// <summary>
/// The harness's traces and metrics: an <see cref="ActivitySource"/> and a <see cref="Meter"/>, both named
/// <see cref="SourceName"/>. Add them to OpenTelemetry with <c>AddSource("ScriptHarness")</c> and <c>AddMeter("ScriptHarness")</c>.
/// </summary>
/// <remarks>
/// Two layers record into it: <see cref="TelemetryScriptHarness"/> around the harness (a span per reply, every metric
/// but the sandbox count) and <see cref="TelemetryScriptEngineFactory"/> around the engine (a span per script and a
/// child span per nested tool call, and the live sandbox count). Each costs one check per reply or sandbox when nothing
/// listens: then the call goes straight to the layer below and the layer allocates nothing (the <c>telemetry</c> rows of
/// <c>bench/compare.sh</c> measure it).
/// </remarks>
public sealed class ScriptHarnessTelemetry : IDisposable
{
    /// <summary>The name of the activity source and the meter: <c>ScriptHarness</c>.</summary>
    public const string SourceName = "ScriptHarness";

    private long _sandboxes;

    /// <summary>Creates the source and the meter.</summary>
    public ScriptHarnessTelemetry(ScriptHarnessTelemetryOptions? options = null)
    {
        Options = options ?? new ScriptHarnessTelemetryOptions();
        Logger = Options.LoggerFactory?.CreateLogger(SourceName) ?? NullLogger.Instance;
        var version = typeof(ScriptHarnessTelemetry).Assembly.GetName().Version?.ToString();
        Source = new ActivitySource(SourceName, version);
        Meter = new Meter(SourceName, version);
        Scripts = Meter.CreateCounter<long>("scriptharness.scripts", "{script}", "Scripts run, by status and error code.");
        ScriptDuration = Meter.CreateHistogram<double>("scriptharness.script.duration", "s", "Wall-clock time of a script, from start to result.");
        ToolCalls = Meter.CreateCounter<long>("scriptharness.tool_calls", "{call}", "Nested tool calls, by tool and status.");
        Approvals = Meter.CreateCounter<long>("scriptharness.approvals", "{request}", "Approval requests, by outcome (approved, denied, timeout, withdrawn).");
        LimitHits = Meter.CreateCounter<long>("scriptharness.limit_hits", "{script}", "Scripts stopped by a limit, by the limit's error code.");
        Sandboxes = Meter.CreateObservableUpDownCounter("scriptharness.engine.sandboxes", () => Interlocked.Read(ref _sandboxes), "{sandbox}",
            "Sandboxes alive now: the engine's pool in use.");
    }

    /// <summary>The settings.</summary>
    public ScriptHarnessTelemetryOptions Options { get; }

    /// <summary>The source of the spans.</summary>
    public ActivitySource Source { get; }

    /// <summary>The meter of the instruments.</summary>
    public Meter Meter { get; }

    internal ILogger Logger { get; }

    /// <summary>Reply spans by run identity, so the engine layer's script spans find their parent.</summary>
    internal ConcurrentDictionary<string, ActivityContext> Replies { get; } = new(StringComparer.Ordinal);

    internal Counter<long> Scripts { get; }

    internal Histogram<double> ScriptDuration { get; }

    internal Counter<long> ToolCalls { get; }

    internal Counter<long> Approvals { get; }

    internal Counter<long> LimitHits { get; }

    internal ObservableUpDownCounter<long> Sandboxes { get; }

    /// <summary>
    /// Whether anything listens to the harness-level records (spans, metrics or logs). Logs count from Warning, the level
    /// of a limit hit: a logger that takes warnings but not debug messages must still hear of limits.
    /// </summary>
    internal bool HarnessEnabled =>
        Source.HasListeners() || Scripts.Enabled || ScriptDuration.Enabled || ToolCalls.Enabled || Approvals.Enabled || LimitHits.Enabled
        || Logger.IsEnabled(LogLevel.Warning);

    /// <summary>Whether anything listens to the engine-level records (spans, or the sandbox count).</summary>
    internal bool EngineEnabled => Source.HasListeners() || Sandboxes.Enabled;

    internal void SandboxCreated() => Interlocked.Increment(ref _sandboxes);

    internal void SandboxDisposed() => Interlocked.Decrement(ref _sandboxes);

    /// <summary>Disposes the source and the meter.</summary>
    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}
