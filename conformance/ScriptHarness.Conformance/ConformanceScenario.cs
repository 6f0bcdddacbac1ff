using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance;

/// <summary>
/// One conformance scenario, as data: a script (or whole model reply) that attacks or exercises the harness, the
/// tools and limits it runs with, what it needs of the engine, and the outcome every engine must produce.
/// </summary>
public sealed record ConformanceScenario
{
    /// <summary>Stable id with its family's prefix, e.g. <c>SEC-001</c>, <c>DOS-004</c>, <c>PROM-002</c>.</summary>
    public required string Id { get; init; }

    /// <summary>What the scenario checks, in one line.</summary>
    public required string Title { get; init; }

    /// <summary>The family, from the id's prefix.</summary>
    public ScenarioFamily Family =>
        ScenarioFamilies.TryFromId(Id, out var family) ? family : throw new InvalidOperationException($"Scenario id '{Id}' has no family prefix.");

    /// <summary>The body of one tool-call block; the runner wraps it as a reply. Set this or <see cref="Reply"/>.</summary>
    public string? Script { get; init; }

    /// <summary>A whole model reply (prose and several blocks). Set this or <see cref="Script"/>.</summary>
    public string? Reply { get; init; }

    /// <summary>Block bodies run afterwards as further replies on the same harness, in order (isolation scenarios).</summary>
    public IReadOnlyList<string> FollowUps { get; init; } = [];

    /// <summary>
    /// Decisions for blocks that end suspended (durable approvals), in order: each suspended block is resumed with the
    /// next one (true approves) and its outcome replaced by the resumed block's.
    /// </summary>
    public IReadOnlyList<bool> Resumes { get; init; } = [];

    /// <summary>The tools the scenario's harness offers, by name, from <see cref="Tools.ConformanceToolSet"/>.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>
    /// The harness options of the scenario — the reply-wide limits (<see cref="ScriptHarnessOptions.MaxBlocksPerReply"/>,
    /// <see cref="ScriptHarnessOptions.MaxToolCallsPerReply"/>, <see cref="ScriptHarnessOptions.MaxReplyTime"/>) and
    /// <see cref="ScriptHarnessOptions.MaxParallelScripts"/>; the defaults when null. Engine, limits and mode always come
    /// from the runner and the scenario.
    /// </summary>
    public ScriptHarnessOptions? Harness { get; init; }

    /// <summary>The limits scripts run under; <see cref="ScriptLimits.Default"/> when null.</summary>
    public ScriptLimits? Limits { get; init; }

    /// <summary>The tool mode of the run. Default <see cref="ToolMode.Enabled"/>.</summary>
    public ToolMode Mode { get; init; } = ToolMode.Enabled;

    /// <summary>Who answers approval requests. Default <see cref="ScenarioApprover.None"/> (the harness denies).</summary>
    public ScenarioApprover Approvals { get; init; } = ScenarioApprover.None;

    /// <summary>Limits the engine must enforce natively for the scenario to apply; an engine lacking one skips it.</summary>
    public EngineCapabilities Requires { get; init; } = EngineCapabilities.None;

    /// <summary>An optional feature the scenario needs; an engine without it skips the scenario.</summary>
    public LanguageFeature? RequiresFeature { get; init; }

    /// <summary>The outcome every engine must produce.</summary>
    public required ScenarioExpectation Expect { get; init; }

    /// <summary>The replies the runner sends, in order: the first from <see cref="Script"/> or <see cref="Reply"/>, then the follow-ups.</summary>
    public IReadOnlyList<string> Replies() =>
        [Reply ?? Block(Script ?? throw new InvalidOperationException($"Scenario {Id} has neither a script nor a reply.")), .. FollowUps.Select(Block)];

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Title}";

    private static string Block(string script) => $"<tool-calls>\n{script}\n</tool-calls>";
}
