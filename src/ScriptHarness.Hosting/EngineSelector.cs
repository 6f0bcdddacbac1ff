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
}
