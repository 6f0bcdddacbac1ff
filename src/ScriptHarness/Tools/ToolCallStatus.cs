namespace ScriptHarness.Tools;

/// <summary>Where a tracked tool call stands.</summary>
public enum ToolCallStatus
{
    /// <summary>The handler is running (or waiting for approval or a concurrency slot).</summary>
    Running,
    /// <summary>The handler returned a result.</summary>
    Succeeded,
    /// <summary>The call failed with a typed error (validation, approval, handler failure, budget…).</summary>
    Failed,
    /// <summary>Dry-run mode: the call was recorded, the handler not called.</summary>
    DryRun,
    /// <summary>The call was cancelled while the script still ran (the run was cancelled).</summary>
    Cancelled,
    /// <summary>The call was still running when the script ended; it was cancelled after the grace period.</summary>
    Detached,

    /// <summary>
    /// The call needs an approval nobody waits for (durable approvals): the block ended suspended at it, and
    /// <c>ResumeAsync</c> with the decision runs it (or refuses it).
    /// </summary>
    Suspended,
}
