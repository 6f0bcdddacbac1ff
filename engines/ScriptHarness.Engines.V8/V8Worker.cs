using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// What a V8 thread owns (<see cref="DedicatedThreadPool{TOwned}"/>): its V8 runtime (<see cref="V8Isolate"/>), made on
/// first use. It runs one script at a time, each on a brand-new engine (a fresh context: nothing a script does is seen
/// by the next), and keeps up to <see cref="V8EngineOptions.WarmEnginesPerRuntime"/> never-used engines ready while
/// idle. A used engine is disposed after its outcome has been handed back and no other script is waiting. A runtime
/// that hit its memory limit refuses every later script, so it is retired with its thread.
/// </summary>
internal sealed class V8Worker(V8RuntimePool pool, V8EngineOptions options) : IDedicatedThreadOwned, IDisposable
{
    // V8 collects disposed contexts only when its heap heuristics say so (the per-disposal GC is off, see
    // V8ProcessFlags), and peak RSS of the trivial-script loop grew from ~200 to ~350 MB. One full collection per this
    // many engines keeps it at ~225 MB (below the per-disposal GC's ~240) for ~2 ms per collection, ~6 % of the CPU;
    // every 32 engines gave ~200 MB for ~12 %.
    private const int EnginesPerCollection = 64;

    // Runs and engines (two per script) whose disposal may wait for an idle moment.
    private const int MaxDeferredDisposals = 8;

    // Touched by this worker's thread only, except _stock (read by the pool's placement).
    private readonly Queue<WarmEngine> _warm = new();
    private readonly List<IDisposable> _used = [];
    private V8Isolate? _isolate;
    private bool _retire;
    private bool _prepareFailed;
    private int _disposedSinceCollection;
    private volatile int _stock;
    private volatile bool _preparing;

    /// <inheritdoc />
    /// <remarks>
    /// Preparing an engine (~0.3 ms) or collecting (~2 ms) cannot be interrupted: meanwhile a script prefers another
    /// runtime, one with a warm engine if any. Disposing what the last script used is a few µs and does not count, so a
    /// script handed to this runtime then starts here without waking another thread.
    /// </remarks>
    public OwnedReadiness Readiness =>
        _preparing ? (_stock > 0 ? OwnedReadiness.ReadySoon : OwnedReadiness.NotReady)
        : _stock > 0 || options.WarmEnginesPerRuntime == 0 ? OwnedReadiness.Ready
        : OwnedReadiness.NotReady;

    /// <inheritdoc />
    public bool MustRetire => _retire;

    /// <inheritdoc />
    /// <remarks>Tidying up after the last script first, then preparing ahead of the next one.</remarks>
    public bool HasIdleWork => _used.Count > 0 || (_warm.Count < options.WarmEnginesPerRuntime && !_prepareFailed);

    /// <summary>Runs one script to its outcome on this thread; its engine is disposed later, off the caller's path.</summary>
    public EngineResult RunScript(PreparedScript script, IToolBridge tools, TimeProvider time, CancellationToken cancellationToken)
    {
        // Disposal waits for a moment with no script waiting, but not for ever: a runtime that always has work still
        // disposes what it used every few scripts.
        if (_used.Count >= MaxDeferredDisposals)
        {
            DisposeUsed();
        }

        var limits = script.Context.Limits;
        if (_isolate is not null && _isolate.MemoryBytes != limits.MemoryBytes)
        {
            DisposeRuntime();
        }

        _isolate ??= NewIsolate(limits.MemoryBytes);
        var warm = _warm.Count > 0 ? _warm.Dequeue() : _isolate.CreateEngine();
        _used.Add(warm);
        Publish();

        var stackBytes = StackBytes(limits);
        var runtime = _isolate.Runtime;
        runtime.MaxHeapSize = (UIntPtr)limits.MemoryBytes;
        runtime.HeapSizeSampleInterval = options.HeapSampleInterval;
        runtime.MaxStackUsage = (UIntPtr)stackBytes;
        var run = new V8Run(script, tools, cancellationToken, warm, _isolate.Scripts, stackBytes, time);
        _used.Add(run);
        var outcome = run.Execute();
        pool.LastShape = run.Shape ?? pool.LastShape;
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

    /// <inheritdoc />
    public void RunIdleStep()
    {
        if (_used.Count > 0)
        {
            CleanUp();
            return;
        }

        PrepareOne();

        // Each engine is ~0.3 ms of uninterruptible work: let a thread just woken on this CPU run first.
        Thread.Yield();
    }

    /// <summary>Disposes the runtime and its engines, on this thread, as the thread ends.</summary>
    public void Dispose() => DisposeRuntime();

    /// <summary>
    /// Prepares one engine, on this thread, which must never die. A failure is not lost: the runtime is replaced, and
    /// the next script creates its engine itself and gets the failure.
    /// </summary>
    private void PrepareOne()
    {
        _preparing = true;
        try
        {
            var memoryBytes = pool.LastMemoryBytes;
            if (_isolate is not null && _isolate.MemoryBytes != memoryBytes)
            {
                DisposeRuntime();
            }

            _isolate ??= NewIsolate(memoryBytes);
            _warm.Enqueue(_isolate.CreateEngine(pool.LastShape));
        }
        catch (Exception)
        {
            DisposeRuntime();
            _prepareFailed = true;
        }

        Publish();
        _preparing = false;
    }

    private void CleanUp()
    {
        var engines = _used.Count(u => u is WarmEngine);
        DisposeUsed();
        if ((_disposedSinceCollection += engines) >= EnginesPerCollection)
        {
            _disposedSinceCollection = 0;
            _preparing = true;
            _isolate?.Runtime.CollectGarbage(exhaustive: false);
            _preparing = false;
        }
    }

    private void DisposeRuntime()
    {
        if (!V8TeardownGate.Process.TryBegin())
        {
            // The process is exiting: what V8 tears down is gone with it, and tearing it down now could crash it.
            return;
        }

        try
        {
            DisposeUsed();
            while (_warm.TryDequeue(out var warm))
            {
                warm.Dispose();
            }

            if (_isolate is not null)
            {
                _isolate.Dispose();
                pool.CountDisposed();
            }

            _isolate = null;
            Publish();
        }
        finally
        {
            V8TeardownGate.Process.End();
        }
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

    /// <summary>Makes the warm engines count seen by the pool's placement and by tests.</summary>
    private void Publish()
    {
        var stock = _warm.Count;
        if (stock != _stock)
        {
            pool.CountWarm(stock - _stock);
            _stock = stock;
        }
    }

    private V8Isolate NewIsolate(long memoryBytes)
    {
        var isolate = new V8Isolate(memoryBytes, options.ScriptCacheSize, pool.Code);
        pool.CountCreated();
        return isolate;
    }

    /// <summary>V8 limits stack bytes, not frames; the limit stays well inside the thread's own stack.</summary>
    private long StackBytes(ScriptLimits limits) =>
        Math.Clamp((long)limits.MaxRecursionDepth * options.StackBytesPerFrame, 64 * 1024, options.ThreadStackBytes / 2);
}
