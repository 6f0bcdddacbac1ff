using System.Text.Json.Nodes;

namespace ScriptHarness.Approvals;

/// <summary>
/// One tool call waiting at an <see cref="ApprovalBroker"/> for a person's decision. The first of
/// <see cref="Approve"/>, <see cref="Deny"/>, <see cref="Cancel"/> — or the broker's timeout, or the caller giving
/// up — settles it; every later attempt returns <see langword="false"/>. Thread-safe.
/// </summary>
public sealed class PendingApproval
{
    private readonly ApprovalBroker _broker;
    private readonly TaskCompletionSource<ApprovalStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ApprovalStatus _status;

    internal PendingApproval(ApprovalBroker broker, string requestId, ApprovalRequest request, DateTimeOffset requestedAt, long startTimestamp, long sequence)
    {
        _broker = broker;
        RequestId = requestId;
        Tool = request.Tool;
        Arguments = request.Arguments;
        ScriptId = request.ScriptId;
        RequestedAt = requestedAt;
        StartTimestamp = startTimestamp;
        Sequence = sequence;
    }

    /// <summary>Unique within its broker for the broker's whole life (the call's id and a sequence number), so a stale id never matches a later request.</summary>
    public string RequestId { get; }

    /// <summary>The tool, <c>namespace.name</c>.</summary>
    public string Tool { get; }

    /// <summary>The arguments as the requester gave them: sanitized for display (secrets redacted, long values cut) when the request comes from a script.</summary>
    public JsonNode? Arguments { get; }

    /// <summary>The script that made the call.</summary>
    public string ScriptId { get; }

    /// <summary>When the request was made, by the broker's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset RequestedAt { get; }

    /// <summary>Where the request stands now.</summary>
    public ApprovalStatus Status => _status;

    internal long StartTimestamp { get; }

    internal long Sequence { get; }

    /// <summary>The denial reason, once <see cref="Status"/> is <see cref="ApprovalStatus.Denied"/> or <see cref="ApprovalStatus.Cancelled"/>.</summary>
    internal string? Reason { get; private set; }

    internal Task<ApprovalStatus> Completion => _completion.Task;

    /// <summary>The broker's timeout for this request; set under the broker's lock at registration, disposed once settled.</summary>
    internal ITimer? Timer { get; set; }

    /// <summary>Lets the call run. Returns <see langword="false"/> if the request was already settled.</summary>
    public bool Approve() => _broker.Settle(this, ApprovalStatus.Approved, null);

    /// <summary>Refuses the call; the script sees <c>approval_denied</c> with <paramref name="reason"/>. Returns <see langword="false"/> if already settled.</summary>
    public bool Deny(string? reason = null) => _broker.Settle(this, ApprovalStatus.Denied, reason);

    /// <summary>
    /// Withdraws the request without a decision; the script sees <c>approval_denied</c> with the reason
    /// <see cref="ApprovalBroker.CancelledReason"/>. Returns <see langword="false"/> if already settled.
    /// </summary>
    public bool Cancel() => _broker.Settle(this, ApprovalStatus.Cancelled, ApprovalBroker.CancelledReason);

    /// <summary>Settles the request as timed out; the broker's timer calls it.</summary>
    internal bool TimeOut() => _broker.Settle(this, ApprovalStatus.TimedOut, null);

    /// <summary>Records the outcome; called by the broker under its lock, once.</summary>
    internal void SetOutcome(ApprovalStatus status, string? reason)
    {
        Reason = reason;
        _status = status;
    }

    /// <summary>Wakes the waiting caller; called by the broker outside its lock, after <see cref="SetOutcome"/>.</summary>
    internal void Complete() => _completion.TrySetResult(_status);
}
