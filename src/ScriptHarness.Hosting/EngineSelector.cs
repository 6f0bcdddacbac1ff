using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Hosting;

/// <summary>Picks the configured engine out of the registered ones, by name, case-insensitively.</summary>
public static class EngineSelector
{
    /// <summary>Returns the engine named <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No engine of that name is registered; the message lists those that are.</exception>
    public static IScriptEngineFactory Select(IEnumerable<IScriptEngineFactory> engines, string name)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var all = engines.ToList();
        return all.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigurationException([all.Count == 0
                ? $"Engine '{name}' is not registered, and no engine is (call AddJintEngine())"
                : $"Engine '{name}' is not registered; available: {string.Join(", ", all.Select(e => e.Name))}"]);
    }

    /// <summary>
    /// Where <paramref name="engine"/> runs scripts unless configured otherwise: in this process when it is fully managed
    /// (<see cref="EngineCapabilities.Managed"/>, Jint), nothing native that could abort the host; else in worker processes
    /// (and an engine that already runs in worker processes says so).
    /// </summary>
    public static EngineIsolation DefaultIsolation(IScriptEngineFactory engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var capabilities = engine.Capabilities;
        return capabilities.HasFlag(EngineCapabilities.ProcessIsolated) || !capabilities.HasFlag(EngineCapabilities.Managed)
            ? EngineIsolation.Process
            : EngineIsolation.InProcess;
    }

    /// <summary>
    /// <paramref name="engine"/> as <paramref name="options"/> want it isolated (<see cref="ScriptHarnessOptions.Isolation"/>,
    /// else <see cref="DefaultIsolation"/>), wrapped by <paramref name="isolator"/> when it must run in worker processes;
    /// and the options with the isolation in force.
    /// </summary>
    /// <exception cref="ConfigurationException">Process isolation is called for and no isolator is registered.</exception>
    public static (IScriptEngineFactory Engine, ScriptHarnessOptions Options) Isolate(
        IScriptEngineFactory engine, ScriptHarnessOptions options, IEngineIsolator? isolator)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var isolation = options.Isolation ?? DefaultIsolation(engine);
        options = options with { Isolation = isolation };
        if (isolation != EngineIsolation.Process || engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated))
        {
            return (engine, options);
        }

        return isolator is null
            ? throw new ConfigurationException([
                $"Isolation Process (the default for engine '{engine.Name}') needs process isolation registered: call AddProcessIsolation() "
                + "(ScriptHarness.Engines.Process), or set Isolation to InProcess and accept that a script can abort this process"])
            : (isolator.Isolate(engine, options), options);
    }
}
