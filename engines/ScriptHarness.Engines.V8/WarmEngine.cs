using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A fresh V8 engine (its own context) that no script has touched: locked down, the prelude and adapter evaluated,
/// the one-step guards installed, waiting for one script. Disposed after that script. Made by <see cref="V8Isolate.CreateEngine"/>.
/// </summary>
internal sealed class WarmEngine(V8ScriptEngine engine, ScriptObject prelude, ScriptObject adapter, ScriptObject guards) : IDisposable
{
    public V8ScriptEngine Engine { get; } = engine;

    /// <summary>The shared prelude's factory function (<c>SandboxPrelude</c>).</summary>
    public ScriptObject Prelude { get; } = prelude;

    /// <summary>The adapter (<see cref="V8Lockdown.Adapter"/>).</summary>
    public ScriptObject Adapter { get; } = adapter;

    /// <summary><c>arm(memoryBytes, refuse)</c> of the engine's one-step guards (<see cref="V8OneStepGuards"/>).</summary>
    public ScriptObject Guards { get; } = guards;

    public void Dispose()
    {
        Prelude.Dispose();
        Adapter.Dispose();
        Guards.Dispose();
        Engine.Dispose();
    }
}
