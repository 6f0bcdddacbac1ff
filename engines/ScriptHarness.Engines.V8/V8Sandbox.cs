using System.Diagnostics;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A V8 sandbox: each run gets a brand-new engine (a fresh context, prepared ahead on a warm runtime), so nothing a
/// script does — globals, prototype changes — can be seen by the next one.
/// </summary>
internal sealed class V8Sandbox(V8SlotLevels levels, V8EngineOptions options) : IScriptSandbox
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
        var started = 0L;
        V8Slot? runningOn = null;
        pool.LastMemoryBytes = script.Context.Limits.MemoryBytes;
        pool.Schedule(slot =>
        {
            Volatile.Write(ref runningOn, slot);
            Volatile.Write(ref started, Stopwatch.GetTimestamp());
            EngineResult outcome;
            try
            {
                outcome = slot.RunScript(script, tools, cancellationToken);
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
                return;
            }

            completion.TrySetResult(outcome);
        });

        // The run interrupts the engine at its own deadline; this host-side watchdog only catches a runtime thread
        // stuck where V8 cannot be interrupted. Time waiting for a free runtime does not count.
        var limits = script.Context.Limits;
        while (true)
        {
            var start = Volatile.Read(ref started);
            var waited = start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start);
            var watchdog = limits.Timeout + tools.PausedTime + options.WatchdogSlack - waited;
            try
            {
                return await completion.Task.WaitAsync(watchdog > TimeSpan.Zero ? watchdog : TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException) when (Volatile.Read(ref started) == 0 || Remains(started, limits, tools))
            {
                // Still queued behind other scripts, or the deadline moved (an approval wait): keep waiting.
            }
            catch (TimeoutException)
            {
                pool.WriteOff(Volatile.Read(ref runningOn)!);
                return EngineResult.Failure(V8ErrorMapper.Timeout(limits))
                    with { Duration = Stopwatch.GetElapsedTime(Volatile.Read(ref started)), RetireRuntime = true };
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool Remains(long started, ScriptLimits limits, IToolBridge tools) =>
        Stopwatch.GetElapsedTime(Volatile.Read(ref started)) < limits.Timeout + tools.PausedTime + options.WatchdogSlack;
}
