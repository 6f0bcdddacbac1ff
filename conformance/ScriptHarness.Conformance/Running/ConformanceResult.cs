namespace ScriptHarness.Conformance.Running;

/// <summary>The result of one scenario on one engine.</summary>
/// <param name="Scenario">The scenario id, e.g. <c>SEC-001</c>.</param>
/// <param name="Engine">The engine's name, e.g. <c>jint</c>.</param>
/// <param name="Status">Pass, fail or skip.</param>
/// <param name="Reason">Why it was skipped, or what failed; null on a pass.</param>
/// <param name="Milliseconds">Wall-clock time of the scenario; 0 when skipped.</param>
public sealed record ConformanceResult(string Scenario, string Engine, ConformanceStatus Status, string? Reason, double Milliseconds)
{
    /// <summary>A skip of <paramref name="scenario"/> on <paramref name="engine"/> with its reason.</summary>
    public static ConformanceResult Skipped(ConformanceScenario scenario, string engine, string reason)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new(scenario.Id, engine, ConformanceStatus.Skip, reason, 0);
    }

    /// <inheritdoc />
    public override string ToString() => Reason is null
        ? $"{Status.ToString().ToUpperInvariant()} {Engine} {Scenario} ({Milliseconds:0} ms)"
        : $"{Status.ToString().ToUpperInvariant()} {Engine} {Scenario} ({Milliseconds:0} ms): {Reason}";
}
