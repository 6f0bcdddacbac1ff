using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A V8 sandbox: each run gets a brand-new engine (a fresh context, prepared ahead on a warm runtime), so nothing a
/// script does — globals, prototype changes — can be seen by the next one.
/// </summary>
internal sealed class V8Sandbox(NestingDepthPools<V8RuntimePool> levels, V8EngineOptions options, TimeProvider time) : IScriptSandbox
{
    public async ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);

        // A nested script (run by a tool its ancestor waits for, holding its runtime) runs on runtimes of its own depth.
        var pool = levels.For(script.Context.NestingDepth);
        var work = new V8ScriptWork(pool, script, tools, options.WatchdogSlack, time, cancellationToken);
        pool.LastMemoryBytes = script.Context.Limits.MemoryBytes;
        try
        {
            pool.Schedule(work);
        }
        catch (ScriptHarnessException ex)
        {
            return EngineResult.Failure(ex.Error);
        }

        // The run interrupts the engine at its own deadline; the watchdog only catches a runtime thread stuck where
        // V8 cannot be interrupted.
        return await work.Watchdog.WaitAsync(work.Completion, script.Context.Limits, tools, work.WriteOff).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
