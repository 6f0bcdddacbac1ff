using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>The events of one script; each method costs nothing when nobody listens (no closure, no clock read).</summary>
internal sealed class ScriptEvents(RunEvents run, int index)
{
    public static ScriptEvents None { get; } = new(RunEvents.None, 0);

    public void Started(string scriptId)
    {
        if (run.Enabled)
        {
            run.Write((index, scriptId), static (now, s) => new ScriptStartedEvent(s.index, now, s.scriptId));
        }
    }

    public void Completed(ScriptOutcome outcome)
    {
        if (run.Enabled)
        {
            run.Write((index, outcome), static (now, s) => new ScriptCompletedEvent(s.index, now, s.outcome));
        }
    }

    public void CallStarted(string callId, string tool)
    {
        if (run.Enabled)
        {
            run.Write((index, callId, tool), static (now, s) => new ToolCallStartedEvent(s.index, now, s.callId, s.tool));
        }
    }

    public void CallCompleted(string callId, string tool, ToolCallStatus status, ScriptError? error, TimeSpan duration)
    {
        if (run.Enabled)
        {
            run.Write((index, callId, tool, status, error, duration), static (now, s) => new ToolCallCompletedEvent(s.index, now, s.callId, s.tool, s.status, s.error, s.duration));
        }
    }

    public void ApprovalRequested(ApprovalRequest request)
    {
        if (run.Enabled)
        {
            run.Write((index, request), static (now, s) => new ApprovalRequestedEvent(s.index, now, s.request));
        }
    }

    public void ApprovalResolved(string requestId, bool approved, string? reason, TimeSpan waited)
    {
        if (run.Enabled)
        {
            run.Write((index, requestId, approved, reason, waited), static (now, s) => new ApprovalResolvedEvent(s.index, now, s.requestId, s.approved, s.reason, s.waited));
        }
    }

    public void Progress(string message)
    {
        if (run.Enabled)
        {
            run.Write((index, message), static (now, s) => new ProgressEvent(s.index, now, s.message));
        }
    }

    public void Log(LogEntry entry)
    {
        if (run.Enabled)
        {
            run.Write((index, entry), static (now, s) => new LogEvent(s.index, now, s.entry));
        }
    }
}
