using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ScriptHarness.Tools;

/// <summary>
/// The harness-wide bound on tool handlers, across all scripts: at most <see cref="Capacity"/> running within their
/// time limit, and the account of those abandoned past it. A call whose handler is still running when its token fires
/// (its time limit, its script's end) fails at once; a handler that has not stopped <see cref="StopGrace"/> later is
/// abandoned: its slot is freed and it is counted until it returns. While <see cref="MaxAbandoned"/> are abandoned,
/// every new call is refused with <c>concurrency_limit</c>: stuck handlers can neither wedge the harness nor pile up
/// without bound. Handlers that may block start on <see cref="Threads"/>. A semaphore rather than an ActionBlock: it
/// gives the same bound, but a non-blocking handler that completes synchronously stays on the caller's thread — a
/// forced hop costs 2.5–5× a synchronous completion.
/// </summary>
internal sealed class ToolExecutionGate : IDisposable
{
    /// <summary>How long a handler told to stop may take to return before it is abandoned.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromMilliseconds(250);

    // Never disposed (it holds no wait handle): a handler abandoned or stopping may give its slot back after the harness is gone.
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _abandoned;
    private long _totalAbandoned;
    private long _refused;

    /// <param name="maxConcurrentExecutions">Handlers running within their time limit at once.</param>
    /// <param name="maxAbandoned">Abandoned handlers at which new calls are refused.</param>
    /// <param name="time">The clock of <see cref="StopGrace"/>; the system clock when null.</param>
    /// <param name="logger">Where abandoned handlers are reported; nowhere when null.</param>
    public ToolExecutionGate(int maxConcurrentExecutions, int maxAbandoned = 64, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentExecutions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAbandoned, 1);
        _slots = new SemaphoreSlim(maxConcurrentExecutions, maxConcurrentExecutions);
        Capacity = maxConcurrentExecutions;
        MaxAbandoned = maxAbandoned;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public int Capacity { get; }

    public int MaxAbandoned { get; }

    public int InUse => Capacity - _slots.CurrentCount;

    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>The threads that start handlers which may block.</summary>
    public ToolThreads Threads { get; } = new();

    public ToolExecutionStatistics Statistics =>
        new(InUse, Abandoned, Interlocked.Read(ref _totalAbandoned), Interlocked.Read(ref _refused), Threads.Count);

    /// <summary>Waits for a slot; <see cref="Exit"/> or <see cref="ExitWhenStopped"/> gives it back.</summary>
    /// <exception cref="ToolException"><c>concurrency_limit</c>: <see cref="MaxAbandoned"/> handlers are abandoned.</exception>
    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        if (Saturated())
        {
            throw Refuse();
        }

        if (_slots.Wait(0, CancellationToken.None))
        {
            return ValueTask.CompletedTask;
        }

        return WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A call of a nested reply runs on the slot of an ancestor's call, which waits for it: no slot is taken (waiting
    /// for one could mean waiting for itself), but the refusal while too many handlers are abandoned still applies.
    /// </summary>
    /// <exception cref="ToolException"><c>concurrency_limit</c>: <see cref="MaxAbandoned"/> handlers are abandoned.</exception>
    public void EnterBorrowed()
    {
        if (Saturated())
        {
            throw Refuse();
        }
    }

    /// <summary>The handler returned within its call: its slot is free.</summary>
    public void Exit() => _slots.Release();

    /// <summary>
    /// The call gave up on its handler, which was told to stop but still runs: its slot (when it took one rather than
    /// run on an ancestor's, <paramref name="holdsSlot"/>) is freed when it returns, or after <see cref="StopGrace"/>,
    /// when it is abandoned and counted until it returns.
    /// </summary>
    public void ExitWhenStopped(Task handler, string tool, string callId, bool holdsSlot) =>
        StoppingHandler.Watch(this, handler, tool, callId, holdsSlot);

    /// <summary>Idle tool threads end; busy ones when their handler returns.</summary>
    public void Dispose() => Threads.Dispose();

    private async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);

        // Handlers may have been abandoned while this call waited; slots freed by abandonment must not let it in.
        if (Saturated())
        {
            _slots.Release();
            throw Refuse();
        }
    }

    internal void Abandon(string tool, string callId, bool holdsSlot)
    {
        Interlocked.Increment(ref _abandoned);
        Interlocked.Increment(ref _totalAbandoned);
        if (holdsSlot)
        {
            _slots.Release();
        }

        StoppingHandler.LogAbandoned(_logger, tool, callId);
    }

    internal void AbandonedEnded(string tool, string callId, Exception? exception)
    {
        Interlocked.Decrement(ref _abandoned);
        StoppingHandler.LogAbandonedEnded(_logger, tool, callId, exception);
    }

    internal TimeProvider Time => _time;

    private bool Saturated() => Volatile.Read(ref _abandoned) >= MaxAbandoned;

    private ToolException Refuse()
    {
        Interlocked.Increment(ref _refused);
        return new ToolException(ScriptErrorCode.ConcurrencyLimit,
            $"{Abandoned} tool handlers are still running past their time limit; no tool can run until some of them end");
    }
}
