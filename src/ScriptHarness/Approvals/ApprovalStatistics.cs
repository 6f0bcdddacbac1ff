namespace ScriptHarness.Approvals;

/// <summary>A snapshot of an <see cref="ApprovalBroker"/>'s work since it was created.</summary>
/// <param name="Requested">Requests received.</param>
/// <param name="Approved">Requests approved.</param>
/// <param name="Denied">Requests denied.</param>
/// <param name="TimedOut">Requests nobody answered in time.</param>
/// <param name="Cancelled">Requests cancelled by the host or withdrawn by their caller.</param>
/// <param name="TotalWait">Time from request to resolution, added up over every resolved request.</param>
/// <param name="MaxWait">The longest time any resolved request waited.</param>
public sealed record ApprovalStatistics(int Requested, int Approved, int Denied, int TimedOut, int Cancelled, TimeSpan TotalWait, TimeSpan MaxWait)
{
    /// <summary>Requests still waiting when the snapshot was taken.</summary>
    public int Pending => Requested - Approved - Denied - TimedOut - Cancelled;
}
