using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A thread and the V8 runtime it owns (<see cref="V8Isolate"/>). It runs one script at a time, each on a brand-new
/// engine (a fresh context: nothing a script does is seen by the next), and keeps up to
/// <see cref="V8EngineOptions.WarmEnginesPerRuntime"/> never-used engines ready while idle. A used engine is disposed
/// after its outcome has been handed back and no other script is waiting. A runtime that hit its memory limit refuses
/// every later script, so it is replaced.
/// </summary>
internal sealed class V8Slot
{
    // V8 collects disposed contexts only when its heap heuristics say so (the per-disposal GC is off, see
    // V8ProcessFlags), and peak RSS of the trivial-script loop grew from ~200 to ~350 MB. One full collection per this
    // many engines keeps it at ~225 MB (below the per-disposal GC's ~240) for ~2 ms per collection, ~6 % of the CPU;
    // every 32 engines gave ~200 MB for ~12 %.
    private const int EnginesPerCollection = 64;

    // Runs and engines (two per script) whose disposal may wait for an idle moment.
    private const int MaxDeferredDisposals = 8;

    private readonly V8SlotPool _pool;
    private readonly V8EngineOptions _options;
    private readonly SemaphoreSlim _signal = new(0);

    // Touched by this slot's thread only.
    private readonly Queue<WarmEngine> _warm = new();
    private readonly List<IDisposable> _used = [];
    private V8Isolate? _isolate;
    private bool _retire;
    private bool _prepareFailed;
    private int _disposedSinceCollection;

    public V8Slot(V8SlotPool pool, V8EngineOptions options)
    {
        _pool = pool;
        _options = options;
    }

    // Guarded by the pool's lock.
    internal Action<V8Slot>? Assigned { get; set; }

    internal bool Busy { get; set; }

    internal bool Preparing { get; set; }

    internal int Stock { get; set; }

    internal long LastUsed { get; set; }

    internal bool WrittenOff { get; set; }

    public void Start() =>
        new Thread(Loop, _options.ThreadStackBytes) { IsBackground = true, Name = "ScriptHarness.V8" }.Start();

    /// <summary>Wakes the slot: a script was assigned to it.</summary>
    public void Signal() => _signal.Release();

    /// <summary>Runs one script to its outcome on this slot's thread; its engine is disposed later, off the caller's path.</summary>
    public EngineResult RunScript(PreparedScript script, IToolBridge tools, TimeProvider time, CancellationToken cancellationToken)
    {
        var limits = script.Context.Limits;
        if (_retire || (_isolate is not null && _isolate.MemoryBytes != limits.MemoryBytes))
        {
            DisposeRuntime();
        }

        _isolate ??= NewIsolate(limits.MemoryBytes);
        var warm = _warm.Count > 0 ? _warm.Dequeue() : _isolate.CreateEngine();
        _used.Add(warm);
        _pool.Publish(this, _warm.Count, preparing: false);

        var stackBytes = StackBytes(limits);
        var runtime = _isolate.Runtime;
        runtime.MaxHeapSize = (UIntPtr)limits.MemoryBytes;
        runtime.HeapSizeSampleInterval = _options.HeapSampleInterval;
        runtime.MaxStackUsage = (UIntPtr)stackBytes;
        var run = new V8Run(script, tools, cancellationToken, warm, _isolate.Scripts, stackBytes, time);
        _used.Add(run);
        var outcome = run.Execute();
        _retire |= outcome.RetireRuntime;
        _prepareFailed = false;
        if (outcome.Error?.Code is ScriptErrorCode.Timeout or ScriptErrorCode.Cancelled || run.Lingers)
        {
            // The script was interrupted, or left finalization callbacks: its runtime is disposed before the outcome
            // is handed back, so nothing of the script can run on it after that (~1 ms, on these rare outcomes only).
            DisposeRuntime();
        }

        return outcome;
    }

    private void Loop()
    {
        // A background thread: it ends when the slot leaves the pool, or with the process.
        while (true)
        {
            if (WrittenOff && _pool.TryLeave(this, idleTimeout: false))
            {
                DisposeRuntime();
                return;
            }

            // Disposal waits for a moment with no script waiting, but not for ever: a slot that always has work
            // still disposes what it used every few scripts.
            if (_used.Count >= MaxDeferredDisposals)
            {
                CleanUp();
            }

            var work = _pool.Next(this);
            if (work is not null)
            {
                V8SlotPool.WokeAnotherSlot = false;
                work(this);
                _pool.Release(this);

                // The outcome's continuation ran here; if it handed the caller's next script to another slot, the
                // kernel tends to queue that woken thread on this CPU, behind the clean-up and preparation that
                // follow: yield to it first (W1 back to back: ~330 → ~50 µs from schedule to start). Not always:
                // when the next script comes later (the pipeline hops threads) it is better handed back to this
                // slot, which is then still running (~20 % slower W1 through the pipeline with an unconditional yield).
                if (V8SlotPool.WokeAnotherSlot)
                {
                    Thread.Yield();
                }

                continue;
            }

            // Nothing waiting: now tidy up after the last script, then prepare ahead of the next one.
            if (_used.Count > 0)
            {
                CleanUp();
                continue;
            }

            if (_warm.Count < _options.WarmEnginesPerRuntime && !_prepareFailed)
            {
                if (_pool.BeginPrepare(this))
                {
                    PrepareOne();

                    // Each engine is ~0.3 ms of uninterruptible work: let a slot just woken on this CPU run first.
                    Thread.Yield();
                }

                continue;
            }

            if (!_signal.Wait(_options.IdleTrimAfter) && _pool.TryLeave(this, idleTimeout: true))
            {
                DisposeRuntime();
                return;
            }
        }
    }

    /// <summary>
    /// Prepares one engine on this slot's thread, which must never die. A failure is not lost: the runtime is
    /// replaced, and the next script creates its engine itself and gets the failure.
    /// </summary>
    private void PrepareOne()
    {
        try
        {
            var memoryBytes = _pool.LastMemoryBytes;
            if (_isolate is not null && _isolate.MemoryBytes != memoryBytes)
            {
                DisposeRuntime();
            }

            _isolate ??= NewIsolate(memoryBytes);
            _warm.Enqueue(_isolate.CreateEngine());
        }
        catch (Exception)
        {
            DisposeRuntime();
            _prepareFailed = true;
        }

        _pool.Publish(this, _warm.Count, preparing: false);
    }

    private void CleanUp()
    {
        var engines = _used.Count(u => u is WarmEngine);
        DisposeUsed();
        if (_retire)
        {
            DisposeRuntime();
        }
        else if ((_disposedSinceCollection += engines) >= EnginesPerCollection && _pool.BeginPrepare(this))
        {
            // ~2 ms: counts as preparing, so a new script prefers a slot that can start it at once (disposal alone
            // is a few µs, and a script handed to this slot then starts here without waking another thread).
            _disposedSinceCollection = 0;
            _isolate?.Runtime.CollectGarbage(exhaustive: false);
            _pool.Publish(this, _warm.Count, preparing: false);
        }
    }

    private void DisposeRuntime()
    {
        DisposeUsed();
        while (_warm.TryDequeue(out var warm))
        {
            warm.Dispose();
        }

        if (_isolate is not null)
        {
            _isolate.Dispose();
            _pool.CountDisposed();
        }

        _isolate = null;
        _retire = false;
        _pool.Publish(this, 0, preparing: false);
    }

    /// <summary>The last run and its engine, the run first (it holds objects of the engine).</summary>
    private void DisposeUsed()
    {
        for (var i = _used.Count - 1; i >= 0; i--)
        {
            _used[i].Dispose();
        }

        _used.Clear();
    }

    private V8Isolate NewIsolate(long memoryBytes)
    {
        var isolate = new V8Isolate(memoryBytes, _options.ScriptCacheSize, _pool.Code);
        _pool.CountCreated();
        return isolate;
    }

    /// <summary>V8 limits stack bytes, not frames; the limit stays well inside the thread's own stack.</summary>
    private long StackBytes(ScriptLimits limits) =>
        Math.Clamp((long)limits.MaxRecursionDepth * _options.StackBytesPerFrame, 64 * 1024, _options.ThreadStackBytes / 2);
}
