namespace ScriptHarness.Approvals;

/// <summary>Where a <see cref="PendingApproval"/> stands. Every status but <see cref="Pending"/> is final.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a decision.</summary>
    Pending,

    /// <summary>Approved: the tool call runs.</summary>
    Approved,

    /// <summary>Denied: the script sees <c>approval_denied</c> with the reason.</summary>
    Denied,

    /// <summary>Nobody answered within the broker's timeout: the script sees <c>approval_timeout</c>.</summary>
    TimedOut,

    /// <summary>
    /// Cancelled by the host, or withdrawn because the caller stopped waiting (the run was cancelled or the script ended).
    /// </summary>
    Cancelled,
}
