namespace ScriptHarness.Approvals;

/// <summary>Decides whether a tool call that needs approval may run. The script's call waits meanwhile.</summary>
public interface IApprovalService
{
    /// <summary>Asks for a decision; cancellation withdraws the request.</summary>
    ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken);
}
