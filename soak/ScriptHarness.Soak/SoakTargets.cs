using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Soak;

/// <summary>One engine (or engine under an isolation mode) the soak runs every reply through.</summary>
/// <param name="Name">What the table calls it, and what <c>--targets</c> selects.</param>
/// <param name="Create">Builds a fresh engine for one soak run; the pipeline disposes nothing it did not create.</param>
internal sealed record SoakTarget(string Name, Func<IScriptEngineFactory> Create);

/// <summary>
/// Every engine and isolation mode the soak covers. An isolation mode (a layer around an engine, built on
/// <see cref="DelegatingScriptEngineFactory"/>) is one more line here, e.g.
/// <c>new("jint+process", () => new ProcessIsolatedEngineFactory(new JintEngineFactory()))</c>.
/// </summary>
internal static class SoakTargets
{
    public static IReadOnlyList<SoakTarget> All { get; } =
    [
        new("jint", () => new JintEngineFactory()),
        new("v8", () => new V8EngineFactory()),
    ];
}
