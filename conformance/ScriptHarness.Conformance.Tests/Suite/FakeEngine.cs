using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.Suite;

/// <summary>A hand-written engine that answers every script with <c>run</c>, for testing the runner itself.</summary>
internal sealed class FakeEngine(EngineCapabilities capabilities, Func<PreparedScript, IToolBridge, EngineResult> run) : IScriptEngineFactory
{
    private int _sandboxes;

    public string Name => "fake";

    public EngineCapabilities Capabilities => capabilities;

    public int SandboxesCreated => Volatile.Read(ref _sandboxes);

    public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sandboxes);
        return ValueTask.FromResult<IScriptSandbox>(new Sandbox(run));
    }

    private sealed class Sandbox(Func<PreparedScript, IToolBridge, EngineResult> run) : IScriptSandbox
    {
        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken) =>
            ValueTask.FromResult(run(script, tools));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
