using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>One script on a V8 runtime's thread, with its completion and watchdog: the one object scheduling it costs.</summary>
internal sealed class V8ScriptWork(
    V8RuntimePool pool, PreparedScript script, IToolBridge tools, TimeSpan watchdogSlack, TimeProvider time, CancellationToken cancellationToken)
    : DedicatedThreadWork<V8Worker>
{
    // Completed on the runtime's thread, synchronously: the continuation is the caller's small hand-off (often
    // scheduling its next script, onto another runtime), and a thread-pool hop per script costs more than a trivial
    // script. The used engine is disposed after that, off the caller's path.
    private readonly TaskCompletionSource<EngineResult> _completion = new();

    public ScriptWatchdog Watchdog { get; } = new(watchdogSlack, time);

    public Task<EngineResult> Completion => _completion.Task;

    /// <summary>The watchdog gives the runtime up: it is stuck where V8 cannot interrupt it.</summary>
    public void WriteOff() => pool.WriteOff(this);

    protected override void Run(V8Worker owned)
    {
        Watchdog.Started();
        EngineResult outcome;
        try
        {
            outcome = owned.RunScript(script, tools, time, cancellationToken);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            return;
        }

        _completion.TrySetResult(outcome);
    }

    protected override void Fail(ScriptHarnessException error) => _completion.TrySetException(error);
}
