using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A Jint sandbox: each run gets a brand-new engine (a fresh realm, ~7 µs), so nothing a script does — globals,
/// prototype changes — can be seen by the next one.
/// </summary>
internal sealed class JintSandbox(SandboxThreadPool threads, JintEngineOptions options) : IScriptSandbox
{
    public async ValueTask<ScriptOutcome> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);
        var completion = new TaskCompletionSource<ScriptOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        threads.Schedule(() =>
        {
            started.TrySetResult();
            try
            {
                using var run = new JintRun(script, tools, cancellationToken);
                completion.TrySetResult(run.Execute());
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        });

        // The engine enforces the deadline itself; this host-side watchdog only catches a thread that is stuck
        // where the engine cannot check (a single huge native operation).
        await started.Task.ConfigureAwait(false);
        var watchdog = script.Context.Limits.Timeout + options.WatchdogSlack;
        try
        {
            return await completion.Task.WaitAsync(watchdog, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            threads.WriteOff();
            return ScriptOutcome.Failed(script.Script.Index, JintErrorMapper.Timeout(script.Context.Limits)) with { Duration = watchdog };
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
