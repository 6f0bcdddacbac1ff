using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A Jint sandbox: each run gets a brand-new engine (a fresh realm, ~7 µs), so nothing a script does — globals,
/// prototype changes — can be seen by the next one.
/// </summary>
internal sealed class JintSandbox(SandboxThreadLevels levels, JintEngineOptions options, TimeProvider time) : IScriptSandbox
{
    public async ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);

        // A nested script (run by a tool its ancestor waits for, holding its thread) runs on threads of its own depth.
        var threads = levels.For(script.Context.NestingDepth);
        // Completed synchronously on the sandbox thread: the continuation is the pipeline's small hand-off, and a
        // second thread-pool hop per script costs more than the whole trivial script.
        var completion = new TaskCompletionSource<EngineResult>();
        var watchdog = new ScriptWatchdog(options.WatchdogSlack, time);
        // Cancelled when the watchdog writes the run off: the engine stops at its next check (statements, native loops,
        // the marshallers) and its host functions go dead, so a written-off thread does not go on working, allocating,
        // logging or calling tools, after its outcome is reported.
        var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        threads.Schedule(() =>
        {
            watchdog.Started();
            try
            {
                EngineResult outcome;
                using (var run = new JintRun(script, tools, abandoned.Token, time))
                {
                    outcome = run.Execute();
                }

                completion.TrySetResult(outcome);
                if (outcome.Error?.Code == ScriptErrorCode.MemoryLimit && options.CollectAfterMemoryLimit)
                {
                    // Rare and deliberate (see JintEngineOptions.CollectAfterMemoryLimit); background, so nothing waits on it.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
                }
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
            finally
            {
                abandoned.Dispose();
            }
        });

        // The engine enforces the deadline itself; the watchdog only catches a thread stuck where it cannot check.
        return await watchdog.WaitAsync(completion.Task, script.Context.Limits, tools, () =>
        {
            Abandon(abandoned);
            threads.WriteOff();
        }).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Abandon(CancellationTokenSource abandoned)
    {
        try
        {
            abandoned.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended (and disposed it) just now: nothing left to stop.
        }
    }
}
