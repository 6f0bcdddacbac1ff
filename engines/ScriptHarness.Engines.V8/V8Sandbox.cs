using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A V8 sandbox: each run gets a brand-new engine (a fresh context, prepared ahead on a warm runtime), so nothing a
/// script does — globals, prototype changes — can be seen by the next one.
/// </summary>
internal sealed class V8Sandbox(V8SlotLevels levels, V8EngineOptions options, TimeProvider time) : IScriptSandbox
{
    public async ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);

        // A nested script (run by a tool its ancestor waits for, holding its runtime) runs on runtimes of its own depth.
        var pool = levels.For(script.Context.NestingDepth);
        // Completed on the runtime's thread, synchronously: the continuation is the caller's small hand-off (often
        // scheduling its next script, onto another runtime), and a thread-pool hop per script costs more than a
        // trivial script. The used engine is disposed after that, off the caller's path.
        var completion = new TaskCompletionSource<EngineResult>();
        var watchdog = new ScriptWatchdog(options.WatchdogSlack, time);
        V8Slot? runningOn = null;
        pool.LastMemoryBytes = script.Context.Limits.MemoryBytes;
        pool.Schedule(slot =>
        {
            Volatile.Write(ref runningOn, slot);
            watchdog.Started();
            EngineResult outcome;
            try
            {
                outcome = slot.RunScript(script, tools, time, cancellationToken);
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
                return;
            }

            completion.TrySetResult(outcome);
        });

        // The run interrupts the engine at its own deadline; the watchdog only catches a runtime thread stuck where
        // V8 cannot be interrupted.
        return await watchdog.WaitAsync(completion.Task, script.Context.Limits, tools,
            () => pool.WriteOff(Volatile.Read(ref runningOn)!)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
