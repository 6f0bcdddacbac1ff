namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// Every conformance scenario, by family, in a stable order. Each scenario runs for real on the engine under test
/// and ends with a checked outcome; see <see cref="ConformanceScenario"/>.
/// </summary>
public static class ConformanceCatalogue
{
    private static readonly Lazy<IReadOnlyList<ConformanceScenario>> Scenarios = new(() =>
    [
        .. SecurityScenarios.All(),
        .. SecurityScenarios.Afterlife(),
        .. DenialOfServiceScenarios.All(),
        .. DenialOfServiceScenarios.OneStep(),
        .. PromiseScenarios.All(),
        .. ToolScenarios.All(),
        .. ApprovalScenarios.All(),
        .. IsolationScenarios.All(),
        .. LanguageScenarios.All(),
    ]);

    private static readonly Lazy<Dictionary<string, ConformanceScenario>> Index =
        new(() => Scenarios.Value.ToDictionary(s => s.Id, StringComparer.Ordinal));

    /// <summary>All scenarios.</summary>
    public static IReadOnlyList<ConformanceScenario> All => Scenarios.Value;

    /// <summary>The scenarios of one family.</summary>
    public static IReadOnlyList<ConformanceScenario> Of(ScenarioFamily family) => [.. All.Where(s => s.Family == family)];

    /// <summary>The scenario with id <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No scenario has that id.</exception>
    public static ConformanceScenario Get(string id) =>
        Index.Value.TryGetValue(id, out var scenario) ? scenario : throw new KeyNotFoundException($"No conformance scenario '{id}'.");

    /// <summary>The scenarios whose id starts with <paramref name="prefix"/> (case-insensitive), e.g. <c>SEC-</c> or <c>PROM-00</c>.</summary>
    public static IReadOnlyList<ConformanceScenario> Matching(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return [.. All.Where(s => s.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))];
    }
}
