using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>Builds catalogue entries tersely.</summary>
internal static class Scenarios
{
    /// <summary>
    /// A scenario of one script. The runner writes the opening tag on its own line, so the script's first line is
    /// line 2 of the block: positions in expectations are block lines, as the model sees them.
    /// </summary>
    public static ConformanceScenario Script(string id, string title, string script, ScenarioExpectation expect, params string[] tools) =>
        new() { Id = id, Title = title, Script = script, Expect = expect, Tools = tools };

    /// <summary>Limits with a short wall-clock timeout, for scenarios that are meant to run out of time.</summary>
    public static ScriptLimits ShortTimeout(double seconds) => ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(seconds) };
}
