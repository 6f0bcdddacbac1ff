using ScriptHarness.Context;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>The kinds of frame host and worker exchange; the first element of every frame.</summary>
internal enum FrameType
{
    /// <summary>Worker → host, once at start: the worker is up and hosts this engine.</summary>
    Ready = 0,
    /// <summary>Host → worker: run one script.</summary>
    Run = 1,
    /// <summary>Worker → host: the script called a tool.</summary>
    ToolCall = 2,
    /// <summary>Host → worker: how that call ended.</summary>
    ToolResult = 3,
    /// <summary>Worker → host: a <c>console.*</c> call.</summary>
    Log = 4,
    /// <summary>Worker → host: <c>context.progress(message)</c>.</summary>
    Progress = 5,
    /// <summary>Host → worker: time spent waiting for approvals so far (it extends the script's deadline).</summary>
    ApprovalWait = 6,
    /// <summary>Host → worker: the host cancelled the run.</summary>
    Cancel = 7,
    /// <summary>Worker → host: the script's result.</summary>
    Outcome = 8,
    /// <summary>Worker → host, every second: alive, with its resident memory.</summary>
    Heartbeat = 9,
}

/// <summary>One message of the worker protocol (see <see cref="FrameCodec"/> for the bytes).</summary>
internal abstract record Frame(FrameType Type);

internal sealed record ReadyFrame(int ProcessId, string Engine) : Frame(FrameType.Ready);

/// <summary>A script to run; <see cref="MayPoll"/>: whether the engine's thread may poll for its answers (<see cref="PollGate"/>).</summary>
internal sealed record RunFrame(PreparedScript Script, IReadOnlyList<string> ToolNames, bool MayPoll = true) : Frame(FrameType.Run);

/// <summary>A tool call; <see cref="ArgumentsJson"/> is the arguments as JSON text (null for none).</summary>
internal sealed record ToolCallFrame(long CallId, string Tool, string? ArgumentsJson) : Frame(FrameType.ToolCall);

/// <summary>
/// A tool call's end: <see cref="ValueJson"/> when <see cref="ErrorCode"/> is null, else the error. <see cref="MayPoll"/>:
/// whether the engine's thread may poll for its next answers, as the host sees the processors now (<see cref="PollGate"/>).
/// </summary>
internal sealed record ToolResultFrame(long CallId, string? ValueJson, string? ErrorCode, string? ErrorMessage, bool MayPoll = true)
    : Frame(FrameType.ToolResult);

internal sealed record LogFrame(int Level, string Message) : Frame(FrameType.Log);

internal sealed record ProgressFrame(string Message) : Frame(FrameType.Progress);

/// <summary>Paused time so far; <see cref="Waiting"/> when a person is being waited for right now (it keeps growing).</summary>
internal sealed record ApprovalWaitFrame(TimeSpan Paused, bool Waiting) : Frame(FrameType.ApprovalWait);

internal sealed record CancelFrame() : Frame(FrameType.Cancel)
{
    public static CancelFrame Instance { get; } = new();
}

/// <summary>
/// A script's result: the value as JSON text (or a preview with return_value_too_large), or an error with its wire
/// code, message and position.
/// </summary>
internal sealed record OutcomeFrame(
    string? ValueJson, string? ErrorCode, string? ErrorMessage, int? Line, int? Column, string? Stack, TimeSpan Duration, bool RetireRuntime)
    : Frame(FrameType.Outcome);

internal sealed record HeartbeatFrame(long ResidentBytes) : Frame(FrameType.Heartbeat);
