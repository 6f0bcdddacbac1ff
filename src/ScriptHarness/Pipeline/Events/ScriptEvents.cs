using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>The events of one script; each method costs nothing when nobody listens.</summary>
internal sealed class ScriptEvents(RunEvents run, int index)
{
    public static ScriptEvents None { get; } = new(RunEvents.None, 0);

    public void Started(string scriptId)
    {
        if (run.Enabled)
        {
            run.Write(now => new ScriptStartedEvent(index, now, scriptId));
        }
    }

    public void Completed(ScriptOutcome outcome)
    {
        if (run.Enabled)
        {
            run.Write(now => new ScriptCompletedEvent(index, now, outcome));
        }
    }

    public void CallStarted(string callId, string tool)
    {
        if (run.Enabled)
        {
            run.Write(now => new ToolCallStartedEvent(index, now, callId, tool));
        }
    }

    public void CallCompleted(string callId, string tool, ToolCallStatus status, ScriptError? error, TimeSpan duration)
    {
        if (run.Enabled)
        {
            run.Write(now => new ToolCallCompletedEvent(index, now, callId, tool, status, error, duration));
        }
    }

    public void ApprovalRequested(ApprovalRequest request)
    {
        if (run.Enabled)
        {
            run.Write(now => new ApprovalRequestedEvent(index, now, request));
        }
    }

    public void ApprovalResolved(string requestId, bool approved, string? reason, TimeSpan waited)
    {
        if (run.Enabled)
        {
            run.Write(now => new ApprovalResolvedEvent(index, now, requestId, approved, reason, waited));
        }
    }

    public void Progress(string message)
    {
        if (run.Enabled)
        {
            run.Write(now => new ProgressEvent(index, now, message));
        }
    }

    public void Log(LogEntry entry)
    {
        if (run.Enabled)
        {
            run.Write(now => new LogEvent(index, now, entry));
        }
    }
}
