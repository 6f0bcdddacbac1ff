using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// One V8 runtime (isolate) and the thread that owns it. It runs one script at a time, each on a brand-new engine
/// (a fresh context: nothing a script does is seen by the next), and keeps one warm, never-used engine ready while
/// idle. A runtime that hit its memory limit refuses every later script, so it is replaced.
/// </summary>
internal sealed class V8Slot(V8EngineOptions options) : IDisposable
{
    private V8Isolate? _isolate;
    private WarmEngine? _warm;

    /// <summary>
    /// Prepares the next engine ahead of the next script, on the slot's own thread, which must never die. A failure
    /// is not lost: the runtime is replaced, and <see cref="RunScript"/> prepares again and lets its failure reach
    /// the script's caller.
    /// </summary>
    public void PrepareWarm(long memoryBytes)
    {
        try
        {
            _warm ??= CreateWarm(memoryBytes);
        }
        catch (Exception)
        {
            Retire();
        }
    }

    /// <summary>Runs one script to its outcome on this slot's thread.</summary>
    public ScriptOutcome RunScript(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        var limits = script.Context.Limits;
        if (_warm is null || _isolate!.MemoryBytes != limits.MemoryBytes)
        {
            DisposeWarm();
            _warm = CreateWarm(limits.MemoryBytes);
        }

        var warm = _warm;
        _warm = null;
        var stackBytes = StackBytes(limits);
        var runtime = _isolate!.Runtime;
        runtime.MaxHeapSize = (UIntPtr)limits.MemoryBytes;
        runtime.HeapSizeSampleInterval = options.HeapSampleInterval;
        runtime.MaxStackUsage = (UIntPtr)stackBytes;
        bool retire;
        ScriptOutcome outcome;
        using (warm)
        {
            using var run = new V8Run(script, tools, cancellationToken, warm, stackBytes);
            (outcome, retire) = run.Execute();
        }

        if (retire)
        {
            Retire();
        }

        return outcome;
    }

    public void Dispose()
    {
        DisposeWarm();
        _isolate?.Dispose();
        _isolate = null;
    }

    /// <summary>V8 limits stack bytes, not frames; the limit stays well inside the thread's own stack.</summary>
    private long StackBytes(ScriptLimits limits) =>
        Math.Clamp((long)limits.MaxRecursionDepth * options.StackBytesPerFrame, 64 * 1024, options.ThreadStackBytes / 2);

    private WarmEngine CreateWarm(long memoryBytes)
    {
        if (_isolate is null || _isolate.MemoryBytes != memoryBytes)
        {
            _isolate?.Dispose();
            _isolate = null;
            _isolate = new V8Isolate(memoryBytes);
        }

        return _isolate.CreateEngine();
    }

    private void Retire()
    {
        DisposeWarm();
        _isolate?.Dispose();
        _isolate = null;
    }

    private void DisposeWarm()
    {
        _warm?.Dispose();
        _warm = null;
    }
}
