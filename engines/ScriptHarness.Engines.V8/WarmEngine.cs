using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A fresh V8 engine (its own context) that no script has touched: locked down, the prelude and adapter compiled,
/// waiting for one script. Disposed after that script.
/// </summary>
internal sealed class WarmEngine : IDisposable
{
    private WarmEngine(V8ScriptEngine engine, ScriptObject prelude, ScriptObject adapter)
    {
        Engine = engine;
        Prelude = prelude;
        Adapter = adapter;
    }

    public V8ScriptEngine Engine { get; }

    /// <summary>The shared prelude's factory function (<see cref="SandboxPrelude"/>).</summary>
    public ScriptObject Prelude { get; }

    /// <summary>The adapter (<see cref="V8Lockdown.Adapter"/>).</summary>
    public ScriptObject Adapter { get; }

    public static WarmEngine Create(V8Runtime runtime)
    {
        // HideHostExceptions: a host exception must reach script code as a plain Error, never as a CLR object.
        var engine = runtime.CreateScriptEngine("sandbox", V8ScriptEngineFlags.HideHostExceptions);
        try
        {
            if (engine.Evaluate(new DocumentInfo(V8Lockdown.LockdownSourceName), V8Lockdown.Source) is not true)
            {
                throw new InvalidOperationException("V8 allows code generation from strings in this process; the sandbox refuses to run");
            }

            var prelude = (ScriptObject)engine.Evaluate(new DocumentInfo(SandboxPrelude.SourceName), SandboxPrelude.Source);
            var adapter = (ScriptObject)engine.Evaluate(new DocumentInfo(V8Lockdown.AdapterSourceName), V8Lockdown.Adapter);
            return new WarmEngine(engine, prelude, adapter);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Prelude.Dispose();
        Adapter.Dispose();
        Engine.Dispose();
    }
}
