namespace ScriptHarness.Conformance;

/// <summary>The id prefix of each <see cref="ScenarioFamily"/>, keyed once.</summary>
public static class ScenarioFamilies
{
    private static readonly (ScenarioFamily Family, string Prefix)[] Prefixes =
    [
        (ScenarioFamily.Security, "SEC"),
        (ScenarioFamily.DenialOfService, "DOS"),
        (ScenarioFamily.Promises, "PROM"),
        (ScenarioFamily.Tools, "TOOL"),
        (ScenarioFamily.Approvals, "APPR"),
        (ScenarioFamily.Isolation, "ISO"),
        (ScenarioFamily.Language, "LANG"),
    ];

    /// <summary>The id prefix of <paramref name="family"/>, without the dash: <c>SEC</c>.</summary>
    public static string Prefix(this ScenarioFamily family) => Prefixes.Single(p => p.Family == family).Prefix;

    /// <summary>Finds the family of a scenario id such as <c>PROM-004</c>.</summary>
    public static bool TryFromId(string id, out ScenarioFamily family)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var (f, prefix) in Prefixes)
        {
            if (id.Length > prefix.Length + 1 && id.StartsWith(prefix + "-", StringComparison.Ordinal))
            {
                family = f;
                return true;
            }
        }

        family = default;
        return false;
    }
}
