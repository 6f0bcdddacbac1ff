using ScriptHarness.AI.Telemetry;
using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>Adds the telemetry layers.</summary>
public static class TelemetryExtensions
{
    /// <summary>The harness with a span per reply and the metrics (<see cref="TelemetryScriptHarness"/>).</summary>
    public static IScriptHarness WithTelemetry(this IScriptHarness harness, ScriptHarnessTelemetry telemetry) =>
        new TelemetryScriptHarness(harness, telemetry);

    /// <summary>The engine with a span per script and per nested tool call (<see cref="TelemetryScriptEngineFactory"/>).</summary>
    public static IScriptEngineFactory WithTelemetry(this IScriptEngineFactory engine, ScriptHarnessTelemetry telemetry) =>
        new TelemetryScriptEngineFactory(engine, telemetry);
}
