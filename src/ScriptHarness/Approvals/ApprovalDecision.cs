namespace ScriptHarness.Approvals;

/// <summary>A person's answer to an <see cref="ApprovalRequest"/>.</summary>
/// <param name="Approved">Whether the call may go ahead.</param>
/// <param name="Reason">An optional reason, shown to the script on denial.</param>
public sealed record ApprovalDecision(bool Approved, string? Reason = null)
{
    /// <summary>Approve.</summary>
    public static ApprovalDecision Approve { get; } = new(true);

    /// <summary>Deny with a reason.</summary>
    public static ApprovalDecision Deny(string? reason = null) => new(false, reason);
}
