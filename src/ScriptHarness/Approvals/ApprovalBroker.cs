using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace ScriptHarness.Approvals;

/// <summary>
/// The host-facing approver: every request becomes a <see cref="PendingApproval"/>, written to <see cref="Requests"/>,
/// and the script's call waits until the host settles it (<see cref="PendingApproval.Approve"/>,
/// <see cref="Resolve"/>, …), nobody answers within <see cref="ApprovalTimeout"/>, or the caller stops waiting.
/// </summary>
/// <remarks>
/// <para>The host must read <see cref="Requests"/>: the channel is unbounded, so every request stays in it until read,
/// settled or not. A request may already be settled (timed out, withdrawn) by the time it is read; check
/// <see cref="PendingApproval.Status"/>.</para>
/// <para>What the calling script sees: approved — the call runs; denied — <c>approval_denied</c> with the reason;
/// no answer in time — <c>approval_timeout</c> (retryable); cancelled by the host (<see cref="Cancel"/>,
/// <see cref="CancelAll"/>, <see cref="Dispose"/>) — <c>approval_denied</c> with the reason
/// <see cref="CancelledReason"/>, because the run itself goes on (<c>cancelled</c> means the whole run was cancelled).
/// When the caller's token fires (the run is cancelled, or the script ended without awaiting the call), the request is
/// withdrawn — removed from <see cref="Pending"/>, counted as cancelled — and <see cref="OperationCanceledException"/>
/// propagates.</para>
/// <para>Arguments are shown as the requester gave them; the tool bridge sanitizes them (<see cref="ApprovalSanitizer"/>)
/// before asking. Thread-safe.</para>
/// </remarks>
public sealed class ApprovalBroker : IApprovalService, IDisposable
{
    /// <summary>The denial reason a script sees when its request was cancelled rather than decided.</summary>
    public const string CancelledReason = "the approval request was cancelled";

    // The longest due time a timer accepts.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider _time;
    private readonly Channel<PendingApproval> _requests = Channel.CreateUnbounded<PendingApproval>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingApproval> _pending = new(StringComparer.Ordinal);
    private long _sequence;
    private bool _disposed;
    private int _approved;
    private int _denied;
    private int _timedOut;
    private int _cancelled;
    private TimeSpan _totalWait;
    private TimeSpan _maxWait;

    /// <summary>Creates a broker.</summary>
    /// <param name="timeout">How long a request waits for a decision; default <see cref="DefaultTimeout"/> (60 s). Must be positive.</param>
    /// <param name="timeProvider">The clock for timeouts, <see cref="PendingApproval.RequestedAt"/> and wait times; default the system clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive, or longer than a timer allows (about 49 days).</exception>
    public ApprovalBroker(TimeSpan? timeout = null, TimeProvider? timeProvider = null)
    {
        var value = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxTimeout, nameof(timeout));
        ApprovalTimeout = value;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The default <see cref="ApprovalTimeout"/>: 60 s.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>How long each request waits for a decision before the script sees <c>approval_timeout</c>.</summary>
    public TimeSpan ApprovalTimeout { get; }

    /// <summary>Every request, in the order made. The host must read it (see the remarks); completed by <see cref="Dispose"/>.</summary>
    public ChannelReader<PendingApproval> Requests => _requests.Reader;

    /// <summary>The requests waiting for a decision now, oldest first (a snapshot).</summary>
    public IReadOnlyCollection<PendingApproval> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Values.OrderBy(p => p.Sequence)];
            }
        }
    }

    /// <summary>Counts and wait times so far (a snapshot).</summary>
    public ApprovalStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new ApprovalStatistics((int)_sequence, _approved, _denied, _timedOut, _cancelled, _totalWait, _maxWait);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ToolException">Nobody answered within <see cref="ApprovalTimeout"/> (<c>approval_timeout</c>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the request was withdrawn.</exception>
    /// <exception cref="ObjectDisposedException">The broker was disposed.</exception>
    public async ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = Register(request);
        ApprovalStatus status;
        using (cancellationToken.UnsafeRegister(static p => ((PendingApproval)p!).Cancel(), pending))
        {
            status = await pending.Completion.ConfigureAwait(false);
        }

        return status switch
        {
            ApprovalStatus.Approved => ApprovalDecision.Approve,
            ApprovalStatus.Denied => ApprovalDecision.Deny(pending.Reason),
            ApprovalStatus.TimedOut => throw new ToolException(ScriptErrorCode.ApprovalTimeout,
                $"the call to {request.Tool} waited {Seconds(ApprovalTimeout)} s for approval and nobody answered"),
            // Cancelled while the caller gave up: the caller's cancellation wins over a host cancel racing it.
            _ when cancellationToken.IsCancellationRequested => throw new OperationCanceledException(
                $"the approval request for {request.Tool} was withdrawn", cancellationToken),
            _ => ApprovalDecision.Deny(pending.Reason),
        };
    }

    /// <summary>Settles the pending request <paramref name="requestId"/> with <paramref name="decision"/>.</summary>
    /// <returns><see langword="false"/> if no request with that id is pending.</returns>
    public bool Resolve(string requestId, ApprovalDecision decision)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(decision);
        return Find(requestId) is { } pending && (decision.Approved ? pending.Approve() : pending.Deny(decision.Reason));
    }

    /// <summary>Cancels the pending request <paramref name="requestId"/> (see <see cref="PendingApproval.Cancel"/>).</summary>
    /// <returns><see langword="false"/> if no request with that id is pending.</returns>
    public bool Cancel(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return Find(requestId)?.Cancel() ?? false;
    }

    /// <summary>Cancels every pending request; returns how many this call cancelled.</summary>
    public int CancelAll() => Pending.Count(p => p.Cancel());

    /// <summary>Cancels every pending request and completes <see cref="Requests"/>; later requests throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _requests.Writer.TryComplete();
        }

        CancelAll();
    }

    /// <summary>Settles <paramref name="pending"/> unless it already is; the single place where outcomes are recorded.</summary>
    internal bool Settle(PendingApproval pending, ApprovalStatus status, string? reason)
    {
        lock (_gate)
        {
            if (pending.Status != ApprovalStatus.Pending)
            {
                return false;
            }

            pending.SetOutcome(status, reason);
            _pending.Remove(pending.RequestId);
            var waited = _time.GetElapsedTime(pending.StartTimestamp);
            _totalWait += waited;
            _maxWait = waited > _maxWait ? waited : _maxWait;
            switch (status)
            {
                case ApprovalStatus.Approved: _approved++; break;
                case ApprovalStatus.Denied: _denied++; break;
                case ApprovalStatus.TimedOut: _timedOut++; break;
                default: _cancelled++; break;
            }
        }

        // Outside the lock: the caller resumes on the thread pool, never inside the host's Approve().
        pending.Timer?.Dispose();
        pending.Complete();
        return true;
    }

    private PendingApproval Register(ApprovalRequest request)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var sequence = ++_sequence;
            var pending = new PendingApproval(this, $"{request.RequestId}~{sequence.ToString(CultureInfo.InvariantCulture)}", request,
                _time.GetUtcNow(), _time.GetTimestamp(), sequence);
            _pending.Add(pending.RequestId, pending);

            // Started before the request is published: the host may answer, or move a fake clock, at once.
            // A timer that fires now waits for this lock, so it always finds the request registered.
            pending.Timer = _time.CreateTimer(static p => ((PendingApproval)p!).TimeOut(), pending, ApprovalTimeout, Timeout.InfiniteTimeSpan);

            // Written under the lock, so the channel's order is the order of the requests.
            var written = _requests.Writer.TryWrite(pending);
            Debug.Assert(written, "an unbounded channel refuses writes only once completed, and it is completed only on dispose");
            return pending;
        }
    }

    private PendingApproval? Find(string requestId)
    {
        lock (_gate)
        {
            return _pending.GetValueOrDefault(requestId);
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
