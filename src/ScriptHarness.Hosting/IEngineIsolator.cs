using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Hosting;

/// <summary>
/// Wraps an engine so it runs scripts in worker processes (<see cref="EngineIsolation.Process"/>). Registered by
/// <c>AddProcessIsolation()</c> (ScriptHarness.Engines.Process); <c>AddScriptHarness</c> asks it when the options, or
/// the engine's default, call for Process isolation.
/// </summary>
public interface IEngineIsolator
{
    /// <summary>The process-isolated form of <paramref name="engine"/>, for a harness with <paramref name="options"/>.</summary>
    IScriptEngineFactory Isolate(IScriptEngineFactory engine, ScriptHarnessOptions options);
}
