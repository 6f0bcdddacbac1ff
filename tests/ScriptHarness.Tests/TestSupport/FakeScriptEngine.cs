using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>
/// A hand-written engine whose run is a delegate, for tests of what the harness does around an engine. Counts the
/// sandboxes it was asked for, so a test can tell that a script was not run at all.
/// </summary>
internal sealed class FakeScriptEngine : IScriptEngineFactory
{
    private int _created;

    /// <summary>What a sandbox does with a script; returns <c>undefined</c> when not set.</summary>
    public Func<PreparedScript, IToolBridge, CancellationToken, ValueTask<EngineResult>> Run { get; init; } =
        (_, _, _) => ValueTask.FromResult(EngineResult.Success(null));

    public string Name => "fake";

    public EngineCapabilities Capabilities => EngineCapabilities.None;

    public int Created => Volatile.Read(ref _created);

    public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _created);
        return ValueTask.FromResult<IScriptSandbox>(new Sandbox(Run));
    }

    private sealed class Sandbox(Func<PreparedScript, IToolBridge, CancellationToken, ValueTask<EngineResult>> run) : IScriptSandbox
    {
        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken) =>
            run(script, tools, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
