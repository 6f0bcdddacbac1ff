namespace ScriptHarness.Approvals;

/// <summary>Answers every request the same way: the CLI's <c>--approve all</c> and <c>--approve none</c>.</summary>
public sealed class FixedApprovalService : IApprovalService
{
    private readonly ApprovalDecision _decision;

    private FixedApprovalService(ApprovalDecision decision) => _decision = decision;

    /// <summary>Approves everything.</summary>
    public static FixedApprovalService ApproveAll { get; } = new(ApprovalDecision.Approve);

    /// <summary>Denies everything, saying no approver is configured.</summary>
    public static FixedApprovalService DenyAll { get; } = new(ApprovalDecision.Deny("no approver is configured for this run"));

    /// <summary>Denies everything with <paramref name="reason"/>.</summary>
    public static FixedApprovalService DenyAllWith(string reason) => new(ApprovalDecision.Deny(reason));

    /// <inheritdoc />
    public ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_decision);
}
