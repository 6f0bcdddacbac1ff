using Microsoft.Extensions.Logging;

namespace ScriptHarness.AI.Telemetry;

/// <summary>The log messages of the telemetry layers.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Script {ScriptIndex} ended {Status} ({ErrorCode}) after {DurationMs} ms with {ToolCalls} tool calls")]
    public static partial void ScriptCompleted(ILogger logger, int scriptIndex, string status, string? errorCode, double durationMs, int toolCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script {ScriptIndex} hit the limit {ErrorCode}")]
    public static partial void LimitHit(ILogger logger, int scriptIndex, string errorCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tool call {CallId} to {Tool} ended {Status} ({ErrorCode})")]
    public static partial void ToolCallCompleted(ILogger logger, string callId, string tool, string status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Approval of {RequestId}: {Outcome}")]
    public static partial void ApprovalResolved(ILogger logger, string requestId, string outcome);
}
