using System.Diagnostics;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A Jint sandbox: each run gets a brand-new engine (a fresh realm, ~7 µs), so nothing a script does — globals,
/// prototype changes — can be seen by the next one.
/// </summary>
internal sealed class JintSandbox(SandboxThreadLevels levels, JintEngineOptions options) : IScriptSandbox
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
        var started = 0;
        var startedAt = 0L;
        threads.Schedule(() =>
        {
            Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
            Volatile.Write(ref started, 1);
            try
            {
                EngineResult outcome;
                using (var run = new JintRun(script, tools, cancellationToken))
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
        });

        // The engine enforces the deadline itself; this host-side watchdog only catches a thread stuck where the
        // engine cannot check (a single huge native operation). Time waiting for a free thread does not count, nor
        // does time waiting for a person's approval: the engine's own deadline moves by it too.
        var watchdog = script.Context.Limits.Timeout + options.WatchdogSlack;
        var wait = watchdog;
        while (true)
        {
            try
            {
                return await completion.Task.WaitAsync(wait, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException) when (Volatile.Read(ref started) == 0)
            {
                // Still queued behind other scripts: keep waiting.
            }
            catch (TimeoutException)
            {
                var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt));
                var left = watchdog + tools.PausedTime - elapsed;
                if (left > TimeSpan.Zero)
                {
                    wait = left;
                    continue;
                }

                threads.WriteOff();
                return EngineResult.Failure(JintErrorMapper.Timeout(script.Context.Limits)) with { Duration = elapsed, RetireRuntime = true };
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
