using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// One V8 runtime (isolate) and what is compiled on it once for all its engines: the lockdown, the shared prelude,
/// the adapter, the one-step guards, and the scripts seen (<see cref="V8ScriptCache"/>). Compiled code carries no state; every engine
/// still runs it in its own fresh context.
/// </summary>
/// <remarks>
/// Compiling once matters: ClearScript names every evaluated document uniquely, so V8's own compilation cache never
/// hits, and parsing the prelude from source was ~70 % of preparing an engine (~280 µs of ~600 µs on the 2-core box).
/// </remarks>
internal sealed class V8Isolate : IDisposable
{
    private readonly V8Script _lockdown;
    private readonly V8Script _prelude;
    private readonly V8Script _adapter;
    private readonly V8Script _guards;

    public V8Isolate(long memoryBytes, int scriptCacheSize, V8CodeCache sharedCode)
    {
        V8ProcessFlags.EnsureApplied();
        V8TeardownGate.Watch();
        MemoryBytes = memoryBytes;

        // ArrayBuffers live outside the heap the soft limit samples: they get the same cap, fixed per runtime.
        Runtime = new V8Runtime("scriptharness", new V8RuntimeConstraints { MaxArrayBufferAllocation = (ulong)memoryBytes });
        try
        {
            _lockdown = Runtime.Compile(new DocumentInfo(V8Lockdown.LockdownSourceName), V8Lockdown.Source);
            _prelude = Runtime.Compile(new DocumentInfo(SandboxPrelude.SourceName), SandboxPrelude.Source);
            _adapter = Runtime.Compile(new DocumentInfo(V8Lockdown.AdapterSourceName), V8Lockdown.Adapter);
            _guards = Runtime.Compile(new DocumentInfo(V8OneStepGuards.SourceName), V8OneStepGuards.Source);
            Scripts = new V8ScriptCache(Runtime, scriptCacheSize, sharedCode);
        }
        catch
        {
            Runtime.Dispose();
            throw;
        }
    }

    public V8Runtime Runtime { get; }

    /// <summary>The memory limit this runtime was made for (its ArrayBuffer cap cannot change).</summary>
    public long MemoryBytes { get; }

    public V8ScriptCache Scripts { get; }

    /// <summary>A fresh engine on this runtime, locked down, with the adapter and the prelude's script-independent step run.</summary>
    /// <param name="expected">What the engine's script is expected to have, prepared ahead; none when null.</param>
    public WarmEngine CreateEngine(V8ScriptShape? expected = null)
    {
        // HideHostExceptions: a host exception must reach script code as a plain Error, never as a CLR object.
        // DisableGlobalMembers: no host object is ever added to a sandbox's global, so its global object needs no
        // interceptors for one (a context is ~7 % cheaper to make without them).
        var engine = Runtime.CreateScriptEngine("sandbox", V8ScriptEngineFlags.HideHostExceptions | V8ScriptEngineFlags.DisableGlobalMembers);
        try
        {
            if (engine.Evaluate(_lockdown) is not true)
            {
                throw new InvalidOperationException("V8 allows code generation from strings in this process; the sandbox refuses to run");
            }

            // The guards go in before any script and before the prelude runs (the adapter arms them per script).
            using var guards = (ScriptObject)engine.Evaluate(_guards);
            using var prelude = (ScriptObject)engine.Evaluate(_prelude);
            using var adapter = (ScriptObject)engine.Evaluate(_adapter);
            var warm = new WarmEngine(engine);
            warm.Start = (ScriptObject)adapter.InvokeAsFunction(
                prelude, V8Run.CreateHostCall(warm), V8Run.CreateHostLog(warm), V8Run.CreateHostProgress(warm), V8Run.CreateHostDone(warm),
                guards, V8Run.CreateHostRefuse(warm), expected?.ToolNamesJson ?? string.Empty, expected?.ContextShapeJson() ?? string.Empty);
            return warm;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Scripts.Dispose();
        _lockdown.Dispose();
        _prelude.Dispose();
        _adapter.Dispose();
        _guards.Dispose();
        Runtime.Dispose();
    }
}
