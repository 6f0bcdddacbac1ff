using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Something that happened during a run, in order per script: see <see cref="IScriptHarness.RunEventsAsync"/>.
/// </summary>
/// <param name="Index">The reply segment the event belongs to.</param>
/// <param name="Timestamp">When it happened, from the harness's <see cref="TimeProvider"/>.</param>
public abstract record HarnessEvent(int Index, DateTimeOffset Timestamp);

/// <summary>
/// A suspended block's resume token was taken (<see cref="IScriptHarness.ResumeEventsAsync"/>): the block runs again
/// under its own run identity, which this names; the script's own events follow.
/// </summary>
public sealed record ScriptResumedEvent(int Index, DateTimeOffset Timestamp, RunIdentity Identity) : HarnessEvent(Index, Timestamp);

/// <summary>A script started running.</summary>
public sealed record ScriptStartedEvent(int Index, DateTimeOffset Timestamp, string ScriptId) : HarnessEvent(Index, Timestamp);

/// <summary>A script ended (ran, failed or was skipped).</summary>
public sealed record ScriptCompletedEvent(int Index, DateTimeOffset Timestamp, ScriptOutcome Outcome) : HarnessEvent(Index, Timestamp);

/// <summary>A tool call was accepted (found, within budget) and is about to be validated and run.</summary>
public sealed record ToolCallStartedEvent(int Index, DateTimeOffset Timestamp, string CallId, string Tool) : HarnessEvent(Index, Timestamp);

/// <summary>A tool call ended.</summary>
public sealed record ToolCallCompletedEvent(int Index, DateTimeOffset Timestamp, string CallId, string Tool, ToolCallStatus Status, ScriptError? Error, TimeSpan Duration)
    : HarnessEvent(Index, Timestamp);

/// <summary>A tool call waits for a person's approval (arguments sanitized).</summary>
public sealed record ApprovalRequestedEvent(int Index, DateTimeOffset Timestamp, ApprovalRequest Request) : HarnessEvent(Index, Timestamp);

/// <summary>An approval request was answered, timed out or withdrawn.</summary>
public sealed record ApprovalResolvedEvent(int Index, DateTimeOffset Timestamp, string RequestId, bool Approved, string? Reason, TimeSpan Waited)
    : HarnessEvent(Index, Timestamp);

/// <summary><c>context.progress(message)</c>, after rate limiting.</summary>
public sealed record ProgressEvent(int Index, DateTimeOffset Timestamp, string Message) : HarnessEvent(Index, Timestamp);

/// <summary>A <c>console.*</c> call, after rate limiting.</summary>
public sealed record LogEvent(int Index, DateTimeOffset Timestamp, LogEntry Entry) : HarnessEvent(Index, Timestamp);

/// <summary>
/// The host cancelled the run: the last event of the stream, which then ends with <see cref="OperationCanceledException"/>.
/// Segments from <paramref name="Index"/> on got no <see cref="ResponseItemEvent"/>.
/// </summary>
public sealed record RunCancelledEvent(int Index, DateTimeOffset Timestamp) : HarnessEvent(Index, Timestamp);

/// <summary>A response item is ready, in reply order: the same items <see cref="IScriptHarness.RunAsync(string, RunOptions?, CancellationToken)"/> returns.</summary>
public sealed record ResponseItemEvent(int Index, DateTimeOffset Timestamp, ResponseItem Item) : HarnessEvent(Index, Timestamp);
