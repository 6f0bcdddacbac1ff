using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance;

/// <summary>
/// What a scenario must end with. Everything set here is checked against the last script result of the scenario
/// (earlier ones, in scenarios of several scripts, must have ended <c>ok</c> unless <see cref="EarlierMayFail"/>), and
/// all failures are reported together.
/// </summary>
public sealed record ScenarioExpectation
{
    /// <summary>How the last script must end. Default <see cref="ScriptStatus.Ok"/>.</summary>
    public ScriptStatus Status { get; init; } = ScriptStatus.Ok;

    /// <summary>
    /// For an error: the codes accepted (one of them). Usually exactly one; a few denial-of-service scenarios accept
    /// two where engines legitimately stop the same attack differently (a documented choice per scenario). Empty only
    /// for scenarios that do not end in an error.
    /// </summary>
    public IReadOnlyList<ScriptErrorCode> Codes { get; init; } = [];

    /// <summary>The expected return value as JSON text, compared structurally; null to leave the value to <see cref="Check"/>.</summary>
    public string? Value { get; init; }

    /// <summary>
    /// A console message the last script must have logged, proving it ran up to the attack (e.g. <c>reached</c>);
    /// required of every scenario that expects an error past the parse stage, so nothing passes by doing nothing.
    /// </summary>
    public string? Reached { get; init; }

    /// <summary>Tool calls the last script must at least have made (another proof that it ran). Default 0.</summary>
    public int MinToolCalls { get; init; }

    /// <summary>A further check of what happened; returns null when satisfied, else what was wrong.</summary>
    public Func<ConformanceObservation, string?>? Check { get; init; }

    /// <summary>What <see cref="Check"/> verifies, in a few words, for people reading the catalogue.</summary>
    public string? CheckDescription { get; init; }

    /// <summary>Upper bound on the scenario's wall-clock time, generous for a loaded 2-core machine. Default 10 s.</summary>
    public TimeSpan Within { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether scripts before the last may end in an error (default false: they must be <c>ok</c>).</summary>
    public bool EarlierMayFail { get; init; }
}
