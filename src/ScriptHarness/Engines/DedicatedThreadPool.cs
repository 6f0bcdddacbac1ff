namespace ScriptHarness.Engines;

/// <summary>
/// Dedicated threads, each owning a <typeparamref name="TOwned"/> made on that thread (a V8 runtime, say, or nothing
/// but the thread's large stack), that run work start to finish with what they own. An engine needs this when a
/// script must stay on one thread (its runtime is bound to it, or its memory limit counts the thread's allocations)
/// and a thread per script would cost more than the script.
/// </summary>
/// <remarks>
/// <para>
/// Work goes to an idle thread that can start it at once (<see cref="IDedicatedThreadOwned.Readiness"/>), the most
/// recently used first; failing that to the readiest idle thread; failing that it waits, first come first served, in a
/// queue every thread drains before going idle. Threads are added
/// on demand up to <see cref="DedicatedThreadPoolOptions.MaxThreads"/> whenever no idle thread was ready.
/// </para>
/// <para>
/// A thread whose owned object must be retired (<see cref="IDedicatedThreadOwned.MustRetire"/>), or whose work threw,
/// disposes it and ends; a new thread takes its place when work needs one. A thread stuck in an overrunning script is
/// written off (<see cref="WriteOff"/>): it stops counting toward the bound and leaves when it comes back. A thread
/// that handed work to another (the caller's continuation ran on it and scheduled the next script) yields once after
/// its own work, so the woken thread is not queued behind it on this core; with
/// <see cref="DedicatedThreadPoolOptions.QueueWorkFromOwnThreads"/> it keeps that work for itself instead, if it is back first.
/// </para>
/// </remarks>
/// <typeparam name="TOwned">What each thread owns; disposed on its thread when that thread ends, if disposable.</typeparam>
public sealed partial class DedicatedThreadPool<TOwned> : IDisposable
    where TOwned : class
{
    private readonly Lock _gate = new();
    private readonly List<Worker> _workers = [];

    // Threads out of the pool (retired, trimmed when idle, back from a write-off) still disposing what they own. Disposal
    // waits for them too: a V8 runtime torn down on such a thread while the process exits races V8's own static
    // teardown, and the process ends with SIGSEGV after its work is done.
    private readonly HashSet<Worker> _leaving = [];
    private readonly Queue<DedicatedThreadWork<TOwned>> _queue = new();
    private readonly DedicatedThreadPoolOptions _options;
    private readonly Func<TOwned> _create;
    private readonly long _spinMilliseconds;
    private int _writtenOff;
    private long _clock;

    // Mirrors of _queue.Count and disposal for threads spinning without the lock.
    private volatile int _queued;
    private volatile bool _disposed;

    /// <summary>Creates the pool; no thread starts before the first work.</summary>
    /// <param name="options">The pool's settings.</param>
    /// <param name="create">Makes what a thread owns, on that thread, when it starts. If it throws, the work the thread was started for fails with <c>harness_internal</c>.</param>
    /// <exception cref="ConfigurationException">The options are invalid; every problem is listed at once.</exception>
    public DedicatedThreadPool(DedicatedThreadPoolOptions options, Func<TOwned> create)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ConfigurationException(problems);
        }

        _options = options;
        _create = create;
        _spinMilliseconds = (long)Math.Ceiling(options.SpinBeforeWaiting.TotalMilliseconds);
    }

    /// <summary>Threads alive, written-off ones included.</summary>
    public int ThreadCount
    {
        get
        {
            lock (_gate)
            {
                return _workers.Count;
            }
        }
    }

    /// <summary>Threads out of the pool still disposing what they own (for tests: none stays once they are done).</summary>
    internal int LeavingCount
    {
        get
        {
            lock (_gate)
            {
                return _leaving.Count;
            }
        }
    }

    /// <summary>Hands <paramref name="work"/> to a thread, or queues it until one is free.</summary>
    /// <param name="work">The work; it runs once.</param>
    /// <exception cref="ScriptHarnessException"><c>concurrency_limit</c>: <see cref="DedicatedThreadPoolOptions.MaxQueued"/> items are already waiting.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="work"/> was scheduled before.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public void Schedule(DedicatedThreadWork<TOwned> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Worker? woken = null;
        Worker? added = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (work.Scheduled)
            {
                throw new InvalidOperationException("a work item runs once: it was already scheduled");
            }

            // Queued work goes first: a thread going idle takes it before any that comes later.
            var ready = false;
            Worker? self = null;
            if (_queue.Count == 0)
            {
                (woken, ready, self) = Pick();
            }

            // A pool thread scheduling from its own work: queued for it (and for the woken thread, should it not come
            // back). The queue is empty here (Pick ran), so it has room.
            var queueForSelf = woken is not null && self is { Busy: true } && _options.QueueWorkFromOwnThreads;
            if (woken is null || queueForSelf)
            {
                if (_queue.Count >= _options.MaxQueued)
                {
                    throw new ScriptHarnessException(ScriptErrorCode.ConcurrencyLimit,
                        $"too many scripts are waiting for an engine thread (at most {_options.MaxQueued})");
                }

                _queue.Enqueue(work);
                _queued = _queue.Count;
            }
            else
            {
                woken!.Assigned = work;
                // Stryker disable once Boolean,Block : equivalent; it only decides whether this thread yields after its work
                if (self is not null)
                {
                    self.WokeAnother = true;
                }
            }

            work.Scheduled = true;

            // No thread could start at once: add one for what comes next (this work may still get it first).
            if (!ready)
            {
                added = TryAdd();
            }
        }

        woken?.Wake();
        Start(added);
    }

    /// <summary>
    /// The thread running <paramref name="work"/> is stuck (the script overran its deadline where the engine cannot
    /// stop it): it no longer counts toward the bound, so the pool keeps its capacity, and it leaves the pool — its
    /// owned object disposed — if it ever comes back. Nothing happens when the work is no longer running.
    /// </summary>
    /// <param name="work">The work whose thread is given up.</param>
    public void WriteOff(DedicatedThreadWork<TOwned> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Worker? added = null;
        lock (_gate)
        {
            var worker = _workers.Find(w => ReferenceEquals(w.Current, work));
            if (worker is null || worker.WrittenOff)
            {
                return;
            }

            worker.WrittenOff = true;
            _writtenOff++;
            if (_queue.Count > 0)
            {
                added = TryAdd();
            }
        }

        Start(added);
    }

    /// <summary>
    /// Stops the pool: queued work fails with <c>cancelled</c>, work already running finishes, and every thread disposes
    /// what it owns and ends; waits for them (and for threads that left the pool earlier and are still disposing what
    /// they own), except threads written off (stuck) and the calling thread.
    /// </summary>
    public void Dispose()
    {
        List<DedicatedThreadWork<TOwned>> failed = [];
        List<Worker> workers;
        List<Worker> leaving;
        lock (_gate)
        {
            if (_disposed)
            {
                // Stryker disable once Statement : equivalent; a second disposal finds the queue empty and joins threads already joined
                return;
            }

            _disposed = true;
            failed.AddRange(_queue);
            _queue.Clear();
            _queued = 0;
            foreach (var worker in _workers)
            {
                if (worker.Assigned is { } assigned)
                {
                    failed.Add(assigned);
                    worker.Assigned = null;
                }
            }

            workers = [.. _workers];
            leaving = [.. _leaving];
        }

        var error = new ScriptHarnessException(ScriptErrorCode.Cancelled, "the engine was disposed before the script started");
        foreach (var work in failed)
        {
            FailQuietly(work, error);
        }

        foreach (var worker in workers)
        {
            worker.Wake();
        }

        foreach (var worker in workers)
        {
            // A thread not started yet ends as soon as it starts, making nothing (the pool is disposed); it is not waited for.
            if (!worker.WrittenOff && worker.Thread.ManagedThreadId != Environment.CurrentManagedThreadId
                && (worker.Thread.ThreadState & ThreadState.Unstarted) == 0)
            {
                worker.Thread.Join();
            }
        }

        // Out of the pool and running on its own (a written-off one among them is back from its overrun).
        foreach (var worker in leaving)
        {
            if (worker.Thread.ManagedThreadId != Environment.CurrentManagedThreadId)
            {
                worker.Thread.Join();
            }
        }
    }

    private static void FailQuietly(DedicatedThreadWork<TOwned> work, ScriptHarnessException error)
    {
        try
        {
            work.Fail(error);
        }
        catch (Exception)
        {
            // Fail must not throw; one that does has nobody left to tell, and the thread must go on.
        }
    }

    /// <summary>A new thread if the bound allows one (under the lock; started after it).</summary>
    private Worker? TryAdd()
    {
        if (_disposed || _workers.Count >= _options.MaxThreads + _writtenOff)
        {
            return null;
        }

        var worker = new Worker(this);
        _workers.Add(worker);
        return worker;
    }

    private void Start(Worker? worker)
    {
        if (worker is null)
        {
            return;
        }

        try
        {
            worker.Thread.Start(worker);
        }
        catch (Exception ex)
        {
            Abandon(worker, new ScriptHarnessException(ScriptErrorCode.HarnessInternal, "an engine thread could not be started", ex));
        }
    }

    /// <summary>
    /// The best idle thread for new work, whether it can start at once, and the calling thread's own worker (when a
    /// worker's continuation schedules): the readiest idle thread, the most recently used first among equals.
    /// </summary>
    private (Worker? Best, bool Ready, Worker? Self) Pick()
    {
        Worker? best = null;
        Worker? self = null;
        var bestRank = int.MaxValue;
        var current = Environment.CurrentManagedThreadId;
        foreach (var worker in _workers)
        {
            if (worker.Thread.ManagedThreadId == current)
            {
                self = worker;
            }

            if (worker.Busy || worker.WrittenOff || worker.Assigned is not null)
            {
                continue;
            }

            var rank = worker.Rank;
            if (rank < bestRank || (rank == bestRank && worker.LastUsed > best!.LastUsed))
            {
                best = worker;
                bestRank = rank;
            }
        }

        return (best, bestRank == 0, self);
    }
}
