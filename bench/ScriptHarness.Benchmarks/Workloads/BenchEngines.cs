using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
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
        // V8 in Process isolation (the default for V8 in a host): the same scripts, in a warm worker process.
        ["v8-process"] = () => new ProcessScriptEngineFactory(new V8EngineFactory(), new ProcessIsolationOptions { MinWorkers = 1 }),
    };

    /// <summary>The workloads an engine runs in the compact mode: Process isolation runs the ones its issue measures.</summary>
    public static bool Runs(string engine, string workload) =>
        engine != "v8-process" || workload is "W1" or "W3" or "W4" or "W5" or "W7";

    /// <summary>Disposes <paramref name="factory"/> (and stops its worker processes) whichever way it is disposable.</summary>
    public static async ValueTask DisposeAsync(IScriptEngineFactory factory)
    {
        switch (factory)
        {
            case IAsyncDisposable a:
                await a.DisposeAsync();
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }
    }

    /// <summary>The engine names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys];

    /// <summary>The engines that run in this process (the pipeline and marshalling suites measure these).</summary>
    public static IReadOnlyList<string> InProcessNames { get; } = [.. Factories.Keys.Where(n => n != "v8-process")];

    /// <summary>A new factory of the engine called <paramref name="name"/>.</summary>
    public static IScriptEngineFactory Create(string name) =>
        Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"unknown engine '{name}'; known: {string.Join(", ", Names)}", nameof(name));
}
