using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.Runtime;

/// <summary>
/// How one script block ended: a value or a typed error, never an exception. Carried between pipeline
/// stages and serialized into the conversation.
/// </summary>
public sealed record ScriptOutcome
{
    /// <summary>The reply segment index of the block.</summary>
    public required int Index { get; init; }

    /// <summary>How the block ended.</summary>
    public required ScriptStatus Status { get; init; }

    /// <summary>The script's return value as JSON (null for <c>undefined</c> or on error).</summary>
    public JsonNode? Value { get; init; }

    /// <summary>The error, when <see cref="Status"/> is <see cref="ScriptStatus.Error"/>.</summary>
    public ScriptError? Error { get; init; }

    /// <summary>Tool calls the script made.</summary>
    public int ToolCalls { get; init; }

    /// <summary>Wall-clock time from start to result.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Captured console output, in order.</summary>
    public IReadOnlyList<LogEntry> Logs { get; init; } = [];

    /// <summary>Console entries dropped by the log limits.</summary>
    public int DroppedLogs { get; init; }

    /// <summary>Progress messages dropped by the progress limits.</summary>
    public int DroppedProgress { get; init; }

    /// <summary>
    /// Every tool call the script made, in call order, with status and duration. Succeeded calls carry their
    /// result, so a script that fails after 80 of 100 calls still reports those 80 (<see cref="PartialResults"/>).
    /// </summary>
    public IReadOnlyList<ToolCallRecord> Calls { get; init; } = [];

    /// <summary>The results of the calls that succeeded, when the script itself failed; empty otherwise.</summary>
    public IEnumerable<ToolCallRecord> PartialResults =>
        Status == ScriptStatus.Error ? Calls.Where(c => c.Status == ToolCallStatus.Succeeded) : [];

    /// <summary>Non-fatal findings, e.g. <c>detached_promise</c>.</summary>
    public IReadOnlyList<ScriptError> Warnings { get; init; } = [];

    /// <summary>The call waiting for approval and the token to resume with, when <see cref="Status"/> is <see cref="ScriptStatus.Suspended"/>.</summary>
    public ScriptSuspension? Suspension { get; init; }

    /// <summary>SHA-256 of the script source, when it got that far.</summary>
    public string? Sha256 { get; init; }

    /// <summary>A successful outcome.</summary>
    public static ScriptOutcome Ok(int index, JsonNode? value) => new() { Index = index, Status = ScriptStatus.Ok, Value = value };

    /// <summary>A failed outcome.</summary>
    public static ScriptOutcome Failed(int index, ScriptError error) => new() { Index = index, Status = ScriptStatus.Error, Error = error };

    /// <summary>A block that was not run.</summary>
    public static ScriptOutcome Skipped(int index) => new() { Index = index, Status = ScriptStatus.Skipped };
}
