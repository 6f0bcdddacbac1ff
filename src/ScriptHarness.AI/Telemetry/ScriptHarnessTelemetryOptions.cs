using Microsoft.Extensions.Logging;

namespace ScriptHarness.AI.Telemetry;

/// <summary>What <see cref="ScriptHarnessTelemetry"/> records. Immutable.</summary>
public sealed record ScriptHarnessTelemetryOptions
{
    /// <summary>
    /// Whether tool-call spans carry the arguments and results (<c>gen_ai.tool.call.arguments</c>,
    /// <c>gen_ai.tool.call.result</c>), as M.E.AI's <c>EnableSensitiveData</c>. They may hold personal data or secrets.
    /// Default false.
    /// </summary>
    public bool EnableSensitiveData { get; init; }

    /// <summary>Where script and tool-call outcomes are logged (Debug and Warning); none when null (default).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
