using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>The engines every benchmark and compact workload runs on, keyed once by configuration name.</summary>
internal static class BenchEngines
{
    // Adding an engine is one line here (and its ProjectReference in the csproj).
    private static readonly Dictionary<string, Func<IScriptEngineFactory>> Factories = new(StringComparer.Ordinal)
    {
        ["jint"] = () => new JintEngineFactory(),
        ["v8"] = () => new V8EngineFactory(),
    };

    /// <summary>The engine names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys];

    /// <summary>A new factory of the engine called <paramref name="name"/>.</summary>
    public static IScriptEngineFactory Create(string name) =>
        Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"unknown engine '{name}'; known: {string.Join(", ", Names)}", nameof(name));
}
