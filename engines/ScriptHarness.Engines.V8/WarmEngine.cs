using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A fresh V8 engine (its own context) that no script has touched: locked down, the one-step guards installed, the
/// adapter and the prelude's script-independent step run, its host functions made, waiting for one script. Disposed
/// after that script. Made by <see cref="V8Isolate.CreateEngine"/>.
/// </summary>
internal sealed class WarmEngine(V8ScriptEngine engine) : IDisposable
{
    private ScriptObject? _start;

    public V8ScriptEngine Engine { get; } = engine;

    /// <summary><c>start(script, toolNamesJson, contextJson, memoryBytes) → settle</c> of the adapter (<see cref="V8Lockdown.Adapter"/>).</summary>
    public ScriptObject Start
    {
        get => _start ?? throw new InvalidOperationException("the engine was not prepared");
        set => _start = value;
    }

    /// <summary>The run the engine's host functions act for, set when its one script starts; none before.</summary>
    public V8Run? Run { get; set; }

    public void Dispose()
    {
        _start?.Dispose();
        Engine.Dispose();
    }
}
