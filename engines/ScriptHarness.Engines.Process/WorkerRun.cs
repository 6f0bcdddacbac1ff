using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>
/// One script on a worker, seen from the host: its tool calls, started on the worker's reader thread as their frames
/// arrive; its hard limits, checked on the worker's timer (the deadline plus grace, the memory cap, an unanswered
/// cancellation) along with the approval time sent on to the worker; and its end (an outcome, or the worker gone).
/// </summary>
/// <remarks>
/// A trivial script ends long before its first check, so a run makes nothing it may not need: no timer of its own (the
/// worker's, armed once, serves its runs in turn) and no token source for its calls until the first call arrives.
/// </remarks>
internal sealed class WorkerRun : IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly WorkerProcess _worker;
    private readonly ProcessIsolationOptions _options;
    private readonly TimeProvider _time;
    private readonly ScriptLimits _limits;
    private readonly CancellationToken _cancellation;
    private readonly long _hardCap;
    private readonly TaskCompletionSource<EngineResult?> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The reader thread's only: every frame of a run is handled there, its end included.
    private readonly HashSet<long> _callIds = [];

    // Made by the first call (reader thread); swapped for the ended source when the run stops, so a call that starts
    // after that is cancelled at once.
    private CancellationTokenSource? _calls;

    // The checks run on a timer thread, one at a time, and never after Stop.
    private readonly Lock _checkGate = new();
    private TimeSpan _lastPaused;
    private bool _waitingSent;
    private long _cancelSentAt;
    private bool _stopped;
    private volatile bool _cancelledByHost;

    public WorkerRun(WorkerProcess worker, ProcessIsolationOptions options, ScriptLimits limits, IToolBridge tools, TimeProvider time, CancellationToken cancellationToken)
    {
        _time = time;
        _worker = worker;
        _options = options;
        _limits = limits;
        _cancellation = cancellationToken;
        _hardCap = MemoryCaps.Over(options.WorkerBaseBytes, options.HardMemoryFactor, limits.MemoryBytes);
        Tools = tools;
        Started = time.GetTimestamp();
    }

    public IToolBridge Tools { get; }

    public long Started { get; }

    /// <summary>The worker was killed because it did not answer the host's cancellation.</summary>
    public bool CancelledByHost => _cancelledByHost;

    /// <summary>The script's result, or null when the worker ended first (the caller reports how).</summary>
    public Task<EngineResult?> Ended => _end.Task;

    /// <summary>The outcome arrived (reader thread).</summary>
    public void Complete(EngineResult result) => _end.TrySetResult(result);

    /// <summary>The limits the script runs under: the host holds the worker's outcome to them too.</summary>
    public ScriptLimits Limits => _limits;

    /// <summary>The worker's output ended before the outcome.</summary>
    public void WorkerEnded() => _end.TrySetResult(null);

    /// <summary>The host failed handling one of the run's frames.</summary>
    public void Fail(Exception exception) => _end.TrySetException(exception);

    /// <summary>Starts a tool call (reader thread); a frame off the protocol throws <see cref="FrameException"/>.</summary>
    public void StartCall(ToolCallFrame call)
    {
        JsonNode? args;
        try
        {
            args = WireJson.Parse(call.ArgumentsJson);
        }
        catch (FrameException)
        {
            throw new FrameException("tool arguments that are not JSON");
        }

        if (!_callIds.Add(call.CallId) || _callIds.Count > CallFlood.MaxFrames(_limits))
        {
            throw new FrameException("a repeated call id or a flood of tool calls");
        }

        _ = CallAsync(call.CallId, call.Tool, args, CallsToken());
    }

    /// <summary>
    /// The token of the run's calls: cancelled by the host's token or when the run stops (the engine cancels its calls
    /// still running when the script ends; these are cancelled when the run does).
    /// </summary>
    private CancellationToken CallsToken()
    {
        if (Volatile.Read(ref _calls) is { } calls)
        {
            return calls.Token;
        }

        var made = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
        var found = Interlocked.CompareExchange(ref _calls, made, null);
        if (found is null)
        {
            return made.Token;
        }

        made.Dispose();
        return found.Token;
    }

    /// <summary>No more checks; calls still running are cancelled.</summary>
    public async Task StopAsync()
    {
        // Waits for a check under way: none runs after this.
        lock (_checkGate)
        {
            _stopped = true;
        }

        if (Interlocked.Exchange(ref _calls, StoppedCalls) is { } calls && calls != StoppedCalls)
        {
            await calls.CancelAsync().ConfigureAwait(false);
            calls.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_checkGate)
        {
            _stopped = true;
        }

        if (Interlocked.Exchange(ref _calls, StoppedCalls) is { } calls && calls != StoppedCalls)
        {
            calls.Cancel();
            calls.Dispose();
        }
    }

    /// <summary>A source already cancelled, never disposed: the calls of a run that stopped.</summary>
    private static CancellationTokenSource StoppedCalls { get; } = CancelledSource();

    private static CancellationTokenSource CancelledSource()
    {
        var source = new CancellationTokenSource();
        source.Cancel();
        return source;
    }

    private async Task CallAsync(long id, string tool, JsonNode? args, CancellationToken cancellationToken)
    {
        ToolResultFrame answer;
        try
        {
            var result = await Tools.InvokeAsync(tool, args, cancellationToken).ConfigureAwait(false);
            answer = result.IsSuccess
                ? new ToolResultFrame(id, WireJson.Text(result.Value) ?? "null", null, null, _worker.WorkerMayPoll)
                : new ToolResultFrame(id, null, result.Error.WireCode, result.Error.Message, _worker.WorkerMayPoll);
        }
        catch (OperationCanceledException)
        {
            answer = new ToolResultFrame(id, null, ScriptErrorCode.Cancelled.ToCode(), $"the call to {tool} was cancelled", _worker.WorkerMayPoll);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The bridge must not throw; if it does, the script still gets an answer instead of waiting forever.
            answer = new ToolResultFrame(id, null, ScriptErrorCode.HarnessInternal.ToCode(), $"internal error while calling {tool}", _worker.WorkerMayPoll);
        }

        _worker.TrySend(answer);
    }

    /// <summary>One round of the hard-limit checks (the worker's timer thread).</summary>
    public void Check()
    {
        // A check still running when the timer fires again is not waited for: the next tick comes soon enough.
        if (!_checkGate.TryEnter())
        {
            return;
        }

        try
        {
            if (!_stopped)
            {
                CheckLimits();
            }
        }
        finally
        {
            _checkGate.Exit();
        }
    }

    private void CheckLimits()
    {
        if (_cancellation.IsCancellationRequested && _cancelSentAt == 0)
        {
            _cancelSentAt = _time.GetTimestamp();
            _worker.TrySend(CancelFrame.Instance);
        }

        if (_cancelSentAt != 0 && _time.GetElapsedTime(_cancelSentAt) > _options.KillGrace)
        {
            _cancelledByHost = true;
            _worker.Kill("did not answer the cancellation");
        }

        var paused = Tools.PausedTime;
        if (paused != _lastPaused || _waitingSent)
        {
            _waitingSent = paused != _lastPaused;
            _lastPaused = paused;
            _worker.TrySend(new ApprovalWaitFrame(paused, _waitingSent));
        }

        var limit = _limits.Timeout + paused + _options.KillGrace;
        if (_time.GetElapsedTime(Started) > limit)
        {
            _worker.Kill($"killed at the time limit (no outcome {_options.KillGrace.TotalMilliseconds:0} ms after the {_limits.Timeout.TotalMilliseconds:0} ms limit)");
        }

        if (_worker.ResidentBytes() is var rss && rss > _hardCap)
        {
            _worker.Kill($"the engine ran out of memory ({rss / MiB} MiB resident, over the hard cap of {_hardCap / MiB} MiB)");
        }
    }
}
