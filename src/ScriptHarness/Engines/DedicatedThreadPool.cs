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
public sealed class DedicatedThreadPool<TOwned> : IDisposable
    where TOwned : class
{
    private readonly Lock _gate = new();
    private readonly List<Worker> _workers = [];
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
                if (self is not null)
                {
                    // Stryker disable once Boolean : equivalent; it only decides whether this thread yields after its work
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
    /// what it owns and ends; waits for them, except threads written off (stuck) and the calling thread.
    /// </summary>
    public void Dispose()
    {
        List<DedicatedThreadWork<TOwned>> failed = [];
        List<Worker> workers;
        lock (_gate)
        {
            if (_disposed)
            {
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
            // A thread not started yet ends as soon as it starts (the pool is disposed); it is not waited for.
            if (!worker.WrittenOff && worker.Thread.ManagedThreadId != Environment.CurrentManagedThreadId
                && (worker.Thread.ThreadState & ThreadState.Unstarted) == 0)
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

    /// <summary>The worker's next work (handed to it, else the oldest queued), or null and whether it must leave now.</summary>
    private DedicatedThreadWork<TOwned>? Next(Worker worker, out bool leave)
    {
        lock (_gate)
        {
            var work = worker.Assigned;
            worker.Assigned = null;
            if (work is null && !worker.WrittenOff && _queue.TryDequeue(out work))
            {
                _queued = _queue.Count;
            }

            if (work is not null)
            {
                worker.Busy = true;
                worker.Current = work;
                worker.LastUsed = ++_clock;
                // Stryker disable once Boolean : equivalent; a worker with work decides whether it leaves when the work is done (Done)
                leave = false;
                return work;
            }

            leave = worker.WrittenOff || _disposed;
            if (leave)
            {
                Remove(worker);
            }

            return null;
        }
    }

    /// <summary>The worker finished its work; whether it handed other work to another thread meanwhile, and whether it leaves.</summary>
    private bool Done(Worker worker, bool retire, out bool leave)
    {
        lock (_gate)
        {
            worker.Busy = false;
            worker.Current = null;
            var wokeAnother = worker.WokeAnother;
            // Stryker disable once Boolean : equivalent; it only decides whether this thread yields after its next work
            worker.WokeAnother = false;
            leave = retire || worker.WrittenOff;
            if (leave)
            {
                Remove(worker);
            }

            return wokeAnother;
        }
    }

    /// <summary>Whether the worker may run an idle step now: no work waits for it.</summary>
    private bool MayIdle(Worker worker)
    {
        lock (_gate)
        {
            return worker.Assigned is null && _queue.Count == 0 && !worker.WrittenOff && !_disposed;
        }
    }

    /// <summary>Takes out a worker whose owned object must retire after an idle step; whether it does.</summary>
    private bool Retire(Worker worker, bool retire)
    {
        if (retire)
        {
            lock (_gate)
            {
                Remove(worker);
            }
        }

        return retire;
    }

    /// <summary>Whether a worker idle for the idle timeout leaves: nothing waits for it, and it is not the last one kept.</summary>
    private bool TryLeaveIdle(Worker worker)
    {
        lock (_gate)
        {
            if (worker.Assigned is not null || _queue.Count > 0
                || (!_disposed && _options.KeepLastThread && _workers.Count <= 1))
            {
                return false;
            }

            Remove(worker);
            return true;
        }
    }

    /// <summary>Takes a leaving worker out (under the lock); a replacement starts if queued work needs one.</summary>
    private void Remove(Worker worker)
    {
        _workers.Remove(worker);
        if (worker.WrittenOff)
        {
            _writtenOff--;
        }

        if (_queue.Count > 0 && TryAdd() is { } replacement)
        {
            // Started outside Loop's lock by the leaving thread (see Loop).
            worker.Replacement = replacement;
        }
    }

    /// <summary>
    /// A worker that never got to run (its thread did not start, or could not make what it owns) leaves; the work handed
    /// to it fails with <paramref name="error"/>, and so does the queued work when no other thread is left to take it.
    /// </summary>
    private void Abandon(Worker worker, ScriptHarnessException error)
    {
        List<DedicatedThreadWork<TOwned>> failed = [];
        lock (_gate)
        {
            _workers.Remove(worker);
            if (worker.Assigned is { } assigned)
            {
                failed.Add(assigned);
                worker.Assigned = null;
            }

            if (!_workers.Exists(w => !w.WrittenOff))
            {
                failed.AddRange(_queue);
                _queue.Clear();
                _queued = 0;
            }
        }

        foreach (var work in failed)
        {
            FailQuietly(work, error);
        }
    }

    private void Loop(Worker worker)
    {
        TOwned owned;
        try
        {
            owned = _create();
        }
        catch (Exception ex)
        {
            Abandon(worker, new ScriptHarnessException(ScriptErrorCode.HarnessInternal, "an engine thread could not make what it runs scripts on", ex));
            return;
        }

        Volatile.Write(ref worker.Owned, owned);
        var hooks = owned as IDedicatedThreadOwned;
        try
        {
            while (!Step(worker, owned, hooks))
            {
            }
        }
        finally
        {
            if (owned is IDisposable disposable)
            {
                try
                {
                    disposable.Dispose();
                }
                catch (Exception)
                {
                    // The thread is ending and what it owned is out of the pool: there is no one to hand this to.
                }
            }

            Start(worker.Replacement);
        }
    }

    /// <summary>One turn of a worker's loop: its next work, else an idle step, else a wait. True when the worker leaves.</summary>
    private bool Step(Worker worker, TOwned owned, IDedicatedThreadOwned? hooks)
    {
        var work = Next(worker, out var leave);
        if (work is not null)
        {
            var threw = false;
            try
            {
                work.Run(owned);
            }
            catch (Exception ex)
            {
                // What it owns may be half-way through something: it is not trusted with more work.
                threw = true;
                FailQuietly(work, new ScriptHarnessException(ScriptErrorCode.HarnessInternal, "internal error on an engine thread", ex));
            }

            var retire = threw || hooks?.MustRetire == true;
            // Stryker disable once Boolean,Statement : equivalent; a yield changes which thread runs first on this core, never what runs
            if (Done(worker, retire, out leave))
            {
                Thread.Yield();
            }

            return leave;
        }

        if (leave)
        {
            return true;
        }

        if (hooks?.HasIdleWork == true)
        {
            if (MayIdle(worker))
            {
                var threw = false;
                try
                {
                    hooks.RunIdleStep();
                }
                catch (Exception)
                {
                    // Its own preparation failed: nothing waited on it, and a new thread starts afresh.
                    threw = true;
                }

                return Retire(worker, threw || hooks.MustRetire);
            }

            return false;
        }

        return !Wait(worker) && TryLeaveIdle(worker);
    }

    /// <summary>Waits for work (spinning first, if configured); false when the idle timeout passed.</summary>
    private bool Wait(Worker worker)
    {
        // Stryker disable Equality,Arithmetic,Statement,Unary : equivalent; how long and how hard a thread spins before it parks changes latency, never what runs (a spin that saw no work parks and looks again)
        if (_spinMilliseconds > 0)
        {
            var spin = default(SpinWait);
            var until = Environment.TickCount64 + _spinMilliseconds;
            while (Environment.TickCount64 <= until)
            {
                if (HasWork(worker))
                {
                    return true;
                }

                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
        // Stryker restore Equality,Arithmetic,Statement,Unary

        return worker.Park(_options.IdleTimeout);
    }

    private bool HasWork(Worker worker) => Volatile.Read(ref worker.Assigned) is not null || _queued > 0 || _disposed;

    /// <summary>A thread of the pool and its state; fields other than <see cref="Owned"/> are guarded by the pool's lock.</summary>
    private sealed class Worker
    {
        public Worker(DedicatedThreadPool<TOwned> pool)
        {
            Pool = pool;
            Thread = new Thread(static state => ((Worker)state!).Pool.Loop((Worker)state!), pool._options.StackBytes)
            {
                IsBackground = true,
                Name = pool._options.ThreadName,
            };
        }

        public DedicatedThreadPool<TOwned> Pool { get; }

        /// <summary>Wakes the worker if it is parked; one that is running or spinning sees the new work by itself.</summary>
        public void Wake()
        {
            // A full fence after the work was handed over (under the pool's lock), paired with the one in Park.
            if (Interlocked.Exchange(ref _parked, 0) == 1)
            {
                _signal.Release();
            }
        }

        /// <summary>Blocks until woken or <paramref name="timeout"/> passes; false on the timeout with no work for it.</summary>
        public bool Park(TimeSpan timeout)
        {
            // Announce, then look once more: work handed over before the announcement is seen here, after it by Wake.
            Interlocked.Exchange(ref _parked, 1);
            if (Pool.HasWork(this) || !_signal.Wait(timeout))
            {
                // Nobody woke it, or a waker is on its way: its release must be taken, or the next park returns at once.
                if (Interlocked.Exchange(ref _parked, 0) == 0)
                {
                    _signal.Wait();
                    return true;
                }

                return Pool.HasWork(this);
            }

            return true;
        }

        public Thread Thread { get; }

        // Released only for a parked worker (one that announced it is about to block): a worker woken while it spins
        // would find the count later and spin once more for nothing, and the release itself costs a lock.
        private readonly SemaphoreSlim _signal = new(0);
        private int _parked;

        // Set once on the worker's thread, read by Pick on others.
        public TOwned? Owned;

        // Written under the lock, read by the spinning worker without it.
        public DedicatedThreadWork<TOwned>? Assigned;

        public DedicatedThreadWork<TOwned>? Current { get; set; }

        public Worker? Replacement { get; set; }

        public bool Busy { get; set; }

        public bool WrittenOff { get; set; }

        public bool WokeAnother { get; set; }

        public long LastUsed { get; set; }

        /// <summary>The owned object's <see cref="OwnedReadiness"/> (not ready while it is being made), as a rank: lower is readier.</summary>
        public int Rank
        {
            get
            {
                var owned = Volatile.Read(ref Owned);
                var readiness = owned is null ? OwnedReadiness.NotReady
                    : owned is IDedicatedThreadOwned hooks ? hooks.Readiness
                    : OwnedReadiness.Ready;
                return (int)readiness;
            }
        }
    }
}
