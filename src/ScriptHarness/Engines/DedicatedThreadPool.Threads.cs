namespace ScriptHarness.Engines;

// The pool's threads: each one's loop (its work, idle steps, waits and leaving) and its state.
public sealed partial class DedicatedThreadPool<TOwned>
{
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
        _leaving.Add(worker);
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
        if (_disposed)
        {
            // Started after the pool was disposed, which does not wait for a thread that had not started: it makes
            // nothing (a V8 runtime made and torn down now could be torn down while the process exits).
            lock (_gate)
            {
                _workers.Remove(worker);
            }

            return;
        }

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

            lock (_gate)
            {
                _leaving.Remove(worker);
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
            // Stryker disable once Boolean,Statement,Block : equivalent; a yield changes which thread runs first on this core, never what runs
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
