using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Hosting;

/// <summary>Picks the configured engine out of the registered ones, by name, case-insensitively.</summary>
public static class EngineSelector
{
    /// <summary>Returns the engine named <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No engine of that name is registered; the message says which exist and how to register one.</exception>
    public static IScriptEngineFactory Select(IEnumerable<IScriptEngineFactory> engines, string name)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var all = engines.ToList();
        return Find(all, name) ?? throw new ConfigurationException([NotRegistered(all, name)]);
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
        if (IsolationProblem(engine, options, isolator) is { } problem)
        {
            throw new ConfigurationException([problem]);
        }

        options = options with { Isolation = options.Isolation ?? DefaultIsolation(engine) };
        return NeedsIsolator(engine, options) ? (isolator!.Isolate(engine, options), options) : (engine, options);
    }

    internal static IScriptEngineFactory? Find(IReadOnlyList<IScriptEngineFactory> engines, string name) =>
        engines.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why <paramref name="name"/> cannot be used: a shipped engine not registered (which package and call), or no engine at all.</summary>
    internal static string NotRegistered(IReadOnlyList<IScriptEngineFactory> engines, string name)
    {
        var registered = engines.Count == 0 ? "no engine is registered" : "registered: " + string.Join(", ", engines.Select(e => e.Name));
        if (KnownEngines.Find(name) is { } known)
        {
            return $"Engine '{name}' is not registered: add the {known.Package} package and call {known.Registration} "
                + $"(it runs on {known.Platforms}); {registered}";
        }

        var names = KnownEngines.All.Select(e => e.Name).Concat(engines.Select(e => e.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var hint = NameSuggestions.Nearest(name, names) is { } meant ? $"; did you mean {meant}?" : string.Empty;
        return $"Engine '{name}' is not an engine (ScriptHarness ships {string.Join(", ", KnownEngines.All.Select(e => e.Name))}; {registered}){hint}";
    }

    /// <summary>Why <paramref name="engine"/> cannot run isolated as <paramref name="options"/> ask, or null when it can.</summary>
    internal static string? IsolationProblem(IScriptEngineFactory engine, ScriptHarnessOptions options, IEngineIsolator? isolator) =>
        isolator is null && NeedsIsolator(engine, options)
            ? $"Isolation Process ({(options.Isolation is null ? $"the default for engine '{engine.Name}'" : "as configured")}) needs process isolation registered: call AddProcessIsolation() "
                + "(ScriptHarness.Engines.Process), or set Isolation to InProcess and accept that a script can abort this process"
            : null;

    private static bool NeedsIsolator(IScriptEngineFactory engine, ScriptHarnessOptions options) =>
        (options.Isolation ?? DefaultIsolation(engine)) == EngineIsolation.Process && !engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated);
}
