using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Serialization;

/// <summary>
/// The property names and enumerated values of the wire contract, shared by the JSON Lines and MessagePack
/// forms (and the text render's labels) so every form spells the contract the same way.
/// </summary>
internal static class WireNames
{
    internal const string Type = "type";
    internal const string Index = "index";
    internal const string Text = "text";
    internal const string Status = "status";
    internal const string Value = "value";
    internal const string Error = "error";
    internal const string ToolCalls = "toolCalls";
    internal const string DurationMs = "durationMs";
    internal const string Logs = "logs";
    internal const string Warnings = "warnings";
    internal const string Calls = "calls";
    internal const string PartialResults = "partialResults";
    internal const string PartialResultsTruncated = "partialResultsTruncated";
    internal const string DroppedLogs = "droppedLogs";
    internal const string DroppedProgress = "droppedProgress";
    internal const string Sha256 = "sha256";
    internal const string Suspension = "suspension";
    internal const string Token = "token";
    internal const string CallId = "callId";
    internal const string Arguments = "arguments";
    internal const string Code = "code";
    internal const string Message = "message";
    internal const string Retryable = "retryable";
    internal const string Line = "line";
    internal const string Column = "column";
    internal const string Stack = "stack";
    internal const string Level = "level";
    internal const string Id = "id";
    internal const string Tool = "tool";
    internal const string Ms = "ms";
    internal const string Result = "result";

    internal const string TextType = "text";
    internal const string ScriptResultType = "script_result";

    internal static string ToWire(ScriptStatus status) => status switch
    {
        ScriptStatus.Ok => "ok",
        ScriptStatus.Error => "error",
        ScriptStatus.Skipped => "skipped",
        ScriptStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown script status."),
    };

    internal static ScriptStatus ParseStatus(string status) => status switch
    {
        "ok" => ScriptStatus.Ok,
        "error" => ScriptStatus.Error,
        "skipped" => ScriptStatus.Skipped,
        "suspended" => ScriptStatus.Suspended,
        _ => throw new FormatException($"Unknown status '{status}'."),
    };

    internal static string ToWire(ToolCallStatus status) => status switch
    {
        ToolCallStatus.Succeeded => "ok",
        ToolCallStatus.Failed => "error",
        ToolCallStatus.DryRun => "dry_run",
        ToolCallStatus.Cancelled => "cancelled",
        ToolCallStatus.Detached => "detached",
        ToolCallStatus.Running => "running",
        ToolCallStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown tool call status."),
    };

    internal static ToolCallStatus ParseCallStatus(string status) => status switch
    {
        "ok" => ToolCallStatus.Succeeded,
        "error" => ToolCallStatus.Failed,
        "dry_run" => ToolCallStatus.DryRun,
        "cancelled" => ToolCallStatus.Cancelled,
        "detached" => ToolCallStatus.Detached,
        "running" => ToolCallStatus.Running,
        "suspended" => ToolCallStatus.Suspended,
        _ => throw new FormatException($"Unknown tool call status '{status}'."),
    };

    /// <summary>
    /// console.log and console.info both arrive as Information and print as "log" (what the model wrote most
    /// often); Critical folds into "error" and Trace into "debug", the levels a script can actually produce.
    /// </summary>
    internal static string ToWire(LogLevel level) => level switch
    {
        LogLevel.Warning => "warn",
        LogLevel.Error or LogLevel.Critical => "error",
        LogLevel.Debug or LogLevel.Trace => "debug",
        _ => "log",
    };

    /// <summary>"info" is accepted on read for producers that keep the console method's own name.</summary>
    internal static LogLevel ParseLevel(string level) => level switch
    {
        "log" or "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "debug" => LogLevel.Debug,
        _ => throw new FormatException($"Unknown log level '{level}'."),
    };

    internal static ScriptErrorCode ParseCode(string code) =>
        ScriptErrorCodes.TryParse(code, out var value) ? value : throw new FormatException($"Unknown error code '{code}'.");
}
