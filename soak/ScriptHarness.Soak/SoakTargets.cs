using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Soak;

/// <summary>One engine (or engine under an isolation mode) the soak runs every reply through.</summary>
/// <param name="Name">What the table calls it, and what <c>--targets</c> selects.</param>
/// <param name="Create">Builds a fresh engine for one soak run; the pipeline disposes nothing it did not create.</param>
internal sealed record SoakTarget(string Name, Func<IScriptEngineFactory> Create);

/// <summary>
/// Every engine and isolation mode the soak covers: an isolation mode is a layer around an engine (a
/// <see cref="DelegatingScriptEngineFactory"/>), one more line here. Worker processes are made for the soak's memory limit.
/// </summary>
internal static class SoakTargets
{
    public static IReadOnlyList<SoakTarget> All { get; } =
    [
        new("jint", () => new JintEngineFactory()),
        new("v8", () => new V8EngineFactory()),
        new("v8-process", () => new ProcessScriptEngineFactory(new V8EngineFactory(), expectedMemoryBytes: SoakRunner.Options.Limits.MemoryBytes)),
        new("jint-process", () => new ProcessScriptEngineFactory(new JintEngineFactory(), expectedMemoryBytes: SoakRunner.Options.Limits.MemoryBytes)),
    ];
}
