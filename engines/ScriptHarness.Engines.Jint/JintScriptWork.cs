using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>One script on a Jint sandbox thread, with its completion and watchdog: the one object scheduling it costs.</summary>
internal sealed class JintScriptWork : DedicatedThreadWork<JintThread>
{
    private readonly PreparedScript _script;
    private readonly IToolBridge _tools;
    private readonly JintEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly DedicatedThreadPool<JintThread> _threads;

    // Completed synchronously on the sandbox thread: the continuation is the pipeline's small hand-off, and a second
    // thread-pool hop per script costs more than the whole trivial script.
    private readonly TaskCompletionSource<EngineResult> _completion = new();

    // Cancelled when the watchdog writes the run off: the engine stops at its next check (statements, native loops, the
    // marshallers) and its host functions go dead, so a written-off thread does not go on working, allocating, logging
    // or calling tools, after its outcome is reported.
    private readonly CancellationTokenSource _abandoned;

    public JintScriptWork(
        DedicatedThreadPool<JintThread> threads, PreparedScript script, IToolBridge tools, JintEngineOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        _threads = threads;
        _script = script;
        _tools = tools;
        _options = options;
        _time = time;
        _abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Watchdog = new ScriptWatchdog(options.WatchdogSlack, time);
    }

    public ScriptWatchdog Watchdog { get; }

    public Task<EngineResult> Completion => _completion.Task;

    /// <summary>
    /// The watchdog gives the thread up: the run stops where the engine next checks, and the pool replaces the thread.
    /// </summary>
    public void WriteOff()
    {
        try
        {
            _abandoned.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended (and disposed it) just now: nothing left to stop.
        }

        _threads.WriteOff(this);
    }

    protected override void Run(JintThread owned)
    {
        Watchdog.Started();
        try
        {
            EngineResult outcome;
            using (var run = new JintRun(_script, _tools, _abandoned.Token, _options.ThreadStackBytes, _time))
            {
                outcome = run.Execute();
            }

            if (outcome.Error?.Code is ScriptErrorCode.RecursionLimit or ScriptErrorCode.MemoryLimit or ScriptErrorCode.Timeout)
            {
                // A limit may have stopped the script deep in the stack, and the unwinding touched up to ~30 times the
                // stack the script itself took (see ScriptStackConstraint): pages this thread would keep for good.
                owned.Retire();
            }

            _completion.TrySetResult(outcome);
            if (outcome.Error?.Code == ScriptErrorCode.MemoryLimit && _options.CollectAfterMemoryLimit)
            {
                // Rare and deliberate (see JintEngineOptions.CollectAfterMemoryLimit); background, so nothing waits on it.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
            }
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
        finally
        {
            _abandoned.Dispose();
        }
    }

    protected override void Fail(ScriptHarnessException error)
    {
        _completion.TrySetException(error);
        _abandoned.Dispose();
    }
}
