using ScriptHarness.Context;

namespace ScriptHarness.Engines.Process;

/// <summary>
/// Warm workers of one engine: at most <see cref="ProcessIsolationOptions.MaxWorkers"/> processes (idle and busy), one
/// script each at a time, <see cref="ProcessIsolationOptions.MinWorkers"/> kept and started in the background, idle ones
/// beyond it trimmed. A worker is replaced after <see cref="ProcessIsolationOptions.MaxScriptsPerWorker"/> scripts, when
/// its resident memory is over the recycle cap, and whenever it was killed or died. Workers are made for one memory
/// limit (their V8 heap limit is fixed at start): a script with another limit gets a worker made for it.
/// </summary>
/// <remarks>
/// The bound holds per nesting depth (<c>ScriptContext.NestingDepth</c>): a script keeps its worker while it waits for
/// a tool, so a nested script — run by a tool from inside its ancestor's call — that waited for the ancestors' workers
/// could wait for ever. Each depth may have <see cref="ProcessIsolationOptions.MaxWorkers"/> busy workers of its own:
/// a script waits only for scripts as deep as itself, and the deepest wait for none. Idle workers serve every depth.
/// </remarks>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly string _engine;
    private readonly ProcessIsolationOptions _options;
    private readonly TimeProvider _time;
    private readonly long _expectedMemoryBytes;
    private readonly SemaphoreSlim?[] _slots = new SemaphoreSlim?[ScriptContext.MaxNestingDepth + 1];
    private readonly Lock _gate = new();
    private readonly List<WorkerProcess> _idle = [];
    private readonly HashSet<WorkerProcess> _busy = [];
    private readonly Timer? _trimmer;
    private int _alive;
    private int _started;
    private bool _disposed;

    public WorkerPool(string engine, ProcessIsolationOptions options, long expectedMemoryBytes, TimeProvider time)
    {
        _time = time;
        _engine = engine;
        _options = options;
        _expectedMemoryBytes = expectedMemoryBytes;
        _slots[0] = new SemaphoreSlim(options.MaxWorkers, options.MaxWorkers);
        if (options.IdleTrimAfter != Timeout.InfiniteTimeSpan)
        {
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, options.IdleTrimAfter.Ticks / 2));
            _trimmer = new Timer(_ => Trim(), null, period, period);
        }
    }

    /// <summary>Worker processes alive now (idle, busy and starting).</summary>
    public int Alive => Volatile.Read(ref _alive);

    /// <summary>Worker processes started since the pool was made.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Idle workers' process ids (for tests and diagnostics).</summary>
    public IReadOnlyList<int> IdleProcessIds()
    {
        lock (_gate)
        {
            return [.. _idle.Select(w => w.ProcessId)];
        }
    }

    /// <summary>Busy workers' process ids (for tests and diagnostics).</summary>
    public IReadOnlyList<int> BusyProcessIds()
    {
        lock (_gate)
        {
            return [.. _busy.Select(w => w.ProcessId)];
        }
    }

    /// <summary>Starts workers up to the minimum, in the background.</summary>
    public void Prestart() => _ = Task.Run(EnsureMinimumAsync);

    /// <summary>
    /// A worker for a script with this memory limit, once fewer than the maximum run scripts at its nesting
    /// <paramref name="depth"/>: an idle one made for it, or a fresh one. <see cref="Release"/> with the same depth gives it back.
    /// </summary>
    public async Task<WorkerProcess> AcquireAsync(long memoryBytes, int depth, CancellationToken cancellationToken)
    {
        var slots = Slots(depth);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Rarely any: made when there is one.
            List<WorkerProcess>? stale = null;
            WorkerProcess? found = null;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);

                // The one idle longest first: a worker just given back is still preparing its next fresh context, which
                // a script given to it would wait for; another that had the time to prepare takes the script instead.
                for (var i = 0; i < _idle.Count && found is null; i++)
                {
                    var worker = _idle[i];
                    if (worker.HasExited)
                    {
                        _idle.RemoveAt(i--);
                        _alive--;
                        (stale ??= []).Add(worker);
                    }
                    else if (worker.MemoryBytes == memoryBytes)
                    {
                        _idle.RemoveAt(i);
                        found = worker;
                    }
                }

                if (found is null)
                {
                    // Room for a new process: an idle one made for another limit makes way.
                    if (_alive >= _options.MaxWorkers && _idle.Count > 0)
                    {
                        (stale ??= []).Add(_idle[0]);
                        _idle.RemoveAt(0);
                        _alive--;
                    }

                    _alive++;
                }
            }

            foreach (var worker in stale ?? [])
            {
                _ = worker.DisposeAsync().AsTask();
            }

            found ??= await StartAsync(memoryBytes, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _busy.Add(found);
            }

            return found;
        }
        catch
        {
            slots.Release();
            throw;
        }
    }

    /// <summary>Gives a worker back after its script at <paramref name="depth"/>: kept warm, or replaced when it is spent, broken or too big.</summary>
    public void Release(WorkerProcess worker, int depth)
    {
        worker.ScriptsRun++;
        var recycleCap = MemoryCaps.Over(_options.WorkerBaseBytes, _options.RecycleMemoryFactor, worker.MemoryBytes);
        var keep = !worker.Broken && !worker.HasExited && worker.ScriptsRun < _options.MaxScriptsPerWorker
            && worker.ResidentBytes() <= recycleCap;
        lock (_gate)
        {
            _busy.Remove(worker);
            keep &= !_disposed;
            if (keep)
            {
                worker.IdleSince = _time.GetTimestamp();
                _idle.Add(worker);
            }
            else
            {
                _alive--;
            }
        }

        Slots(depth).Release();
        if (!keep)
        {
            _ = Task.Run(async () =>
            {
                await worker.DisposeAsync().ConfigureAwait(false);
                await EnsureMinimumAsync().ConfigureAwait(false);
            });
        }
    }

    /// <summary>The bound of busy workers at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    private SemaphoreSlim Slots(int depth)
    {
        var level = Math.Clamp(depth, 0, ScriptContext.MaxNestingDepth);
        var slots = Volatile.Read(ref _slots[level]);
        if (slots is null)
        {
            // Never disposed, like the first: a script may give its worker back after the pool is gone.
            var made = new SemaphoreSlim(_options.MaxWorkers, _options.MaxWorkers);
            slots = Interlocked.CompareExchange(ref _slots[level], made, null) ?? made;
        }

        return slots;
    }

    private async Task<WorkerProcess> StartAsync(long memoryBytes, CancellationToken cancellationToken)
    {
        try
        {
            var worker = await WorkerProcess.StartAsync(_engine, memoryBytes, _options, _time, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _started);
            return worker;
        }
        catch
        {
            lock (_gate)
            {
                _alive--;
            }

            throw;
        }
    }

    private async Task EnsureMinimumAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_disposed || _alive >= _options.MinWorkers)
                {
                    return;
                }

                _alive++;
            }

            WorkerProcess worker;
            try
            {
                worker = await StartAsync(_expectedMemoryBytes, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A worker that cannot start now is started on demand by the next script, which reports the failure.
                return;
            }

            bool keep;
            lock (_gate)
            {
                keep = !_disposed;
                if (keep)
                {
                    worker.IdleSince = _time.GetTimestamp();
                    _idle.Add(worker);
                }
                else
                {
                    _alive--;
                }
            }

            if (!keep)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private void Trim()
    {
        var trimmed = new List<WorkerProcess>();
        lock (_gate)
        {
            for (var i = 0; i < _idle.Count && _alive > _options.MinWorkers; i++)
            {
                if (_idle[i].HasExited || _time.GetElapsedTime(_idle[i].IdleSince) >= _options.IdleTrimAfter)
                {
                    trimmed.Add(_idle[i]);
                    _idle.RemoveAt(i--);
                    _alive--;
                }
            }
        }

        foreach (var worker in trimmed)
        {
            _ = worker.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<WorkerProcess> idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _alive -= idle.Count;
        }

        if (_trimmer is not null)
        {
            await _trimmer.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(idle.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
