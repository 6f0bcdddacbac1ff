using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A Jint sandbox: each run gets a brand-new engine (a fresh realm, ~7 µs), so nothing a script does — globals,
/// prototype changes — can be seen by the next one.
/// </summary>
internal sealed class JintSandbox(NestingDepthPools<DedicatedThreadPool<JintThread>> levels, JintEngineOptions options, TimeProvider time) : IScriptSandbox
{
    public async ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);

        // A nested script (run by a tool its ancestor waits for, holding its thread) runs on threads of its own depth.
        var threads = levels.For(script.Context.NestingDepth);
        var work = new JintScriptWork(threads, script, tools, options, time, cancellationToken);
        try
        {
            threads.Schedule(work);
        }
        catch (ScriptHarnessException ex)
        {
            return EngineResult.Failure(ex.Error);
        }

        // The engine enforces the deadline itself; the watchdog only catches a thread stuck where it cannot check.
        return await work.Watchdog.WaitAsync(work.Completion, script.Context.Limits, tools, work.WriteOff).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
