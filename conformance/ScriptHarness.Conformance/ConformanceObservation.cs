using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance;

/// <summary>What happened when a scenario ran: every script result in order, what the tools saw, and how long it took.</summary>
public sealed record ConformanceObservation
{
    /// <summary>The script results of every reply of the scenario, in order.</summary>
    public required IReadOnlyList<ScriptOutcome> Outcomes { get; init; }

    /// <summary>What the conformance tools recorded: calls, arguments, peak concurrency, cancellations.</summary>
    public required ConformanceProbe Probe { get; init; }

    /// <summary>Wall-clock time of the scenario's replies.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The last script result, the one the expectation is about.</summary>
    public ScriptOutcome Final => Outcomes.Count > 0 ? Outcomes[^1] : throw new InvalidOperationException("The scenario produced no script result.");
}
