using ScriptHarness.Context;

namespace ScriptHarness.Runtime;

/// <summary>
/// An isolated JavaScript realm that runs one script. It never throws for the script's own failures:
/// timeouts, limits, thrown errors and cancellation all come back as an <see cref="EngineResult"/>.
/// </summary>
public interface IScriptSandbox : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="script"/> under its limits (<see cref="ScriptContext.Limits"/>), with
    /// <paramref name="tools"/> as its only door to the host.
    /// </summary>
    ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken);
}
