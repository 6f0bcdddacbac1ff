using ScriptHarness.Context;
using ScriptHarness.Runtime;
using ScriptHarness.State;

namespace ScriptHarness.Pipeline;

/// <summary>
/// How a harness runs replies. Immutable; validated once when the harness is built
/// (<see cref="Validate"/> reports every problem at once). Bound from configuration by the hosting layer.
/// </summary>
public sealed record ScriptHarnessOptions
{
    // Within what one JSON string can carry (System.Text.Json writes at most 166,666,666 characters), so a reply's prose is
    // always one item a writer can write.
    internal const int MaxReplyLengthLimit = 100_000_000;

    internal const int DefaultMaxReplyLength = 4 * 1024 * 1024;

    /// <summary>The engine by name, as registered (<see cref="KnownEngines"/>: <c>jint</c>, <c>v8</c>). Default <c>jint</c>.</summary>
    public string Engine { get; init; } = KnownEngines.Jint;

    /// <summary>
    /// Where the engine runs scripts. Null (the default) means the engine's default: <see cref="EngineIsolation.InProcess"/>
    /// for fully managed engines (Jint), <see cref="EngineIsolation.Process"/> for native ones (V8). The hosting layer
    /// (<c>AddScriptHarness</c>) wraps the engine accordingly; a harness built by hand checks that its engine matches.
    /// </summary>
    public EngineIsolation? Isolation { get; init; }

    /// <summary>The limits every script runs under. Defaults: see <see cref="ScriptLimits"/>.</summary>
    /// <remarks>A fresh instance per options object: configuration binding fills it in place.</remarks>
    public ScriptLimits Limits { get; init; } = new();

    /// <summary>The tool mode of runs that do not set their own. Default <see cref="ToolMode.Enabled"/>.</summary>
    public ToolMode Mode { get; init; } = ToolMode.Enabled;

    /// <summary>Scripts of one reply running at once. Default 4.</summary>
    public int MaxParallelScripts { get; init; } = 4;

    /// <summary>Tool handlers running at once across every script of the harness. Default 16.</summary>
    public int MaxConcurrentToolExecutions { get; init; } = 16;

    /// <summary>
    /// Abandoned tool handlers — still running after their call failed at its time limit or their script ended, because
    /// they ignored their cancellation token — at which the harness refuses new tool calls with <c>concurrency_limit</c>
    /// until some of them end. Abandoned handlers hold no <see cref="MaxConcurrentToolExecutions"/> slot. Default 64.
    /// </summary>
    public int MaxAbandonedToolExecutions { get; init; } = 64;

    /// <summary>
    /// Blocks of one reply that run; each block past it gets its own <c>reply_limit_exceeded</c> result, so per-script
    /// budgets cannot be multiplied by writing more blocks. Default 64.
    /// </summary>
    public int MaxBlocksPerReply { get; init; } = 64;

    /// <summary>
    /// Tool calls all scripts of one reply may make together; calls past it fail with <c>tool_budget_exceeded</c>, like
    /// calls past a script's own <see cref="ScriptLimits.MaxToolCalls"/>. Default 256.
    /// </summary>
    public int MaxToolCallsPerReply { get; init; } = 256;

    /// <summary>
    /// Time one reply may take, from its start: scripts still running then are stopped and scripts not yet started
    /// are not run; each gets a <c>reply_limit_exceeded</c> result. Default 5 minutes.
    /// </summary>
    public TimeSpan MaxReplyTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Characters (UTF-16 code units, as <see cref="string.Length"/> counts them) a reply may have. What is decided
    /// within it — prose and blocks that ended before it — is answered as usual; the reply is read no further, and the
    /// segment open at that point gets a <c>reply_limit_exceeded</c> result in its place, so a runaway reply cannot take
    /// the host's memory (a detector holds the open segment, and one item carries it whole). Between 1,024 and
    /// 100,000,000; default 4,194,304 (4 Mi), far above what a model writes in one reply.
    /// </summary>
    public int MaxReplyLength { get; init; } = DefaultMaxReplyLength;

    /// <summary>
    /// How deep replies may nest in tool calls. A tool handler that runs a reply on this harness — a sub-agent — runs
    /// it at depth 1, a handler called from that reply's scripts at depth 2, and so on (replies on other harnesses
    /// count too). A nested reply never waits for an engine thread or tool slot its ancestors hold; past this depth
    /// each of its blocks gets <c>nesting_limit_exceeded</c> instead of running. 0 refuses every nested reply. Between
    /// 0 and 16; default 4.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 4;

    /// <summary>Items each pipeline stage holds before it pushes back on the one before. Default 16.</summary>
    public int StageCapacity { get; init; } = 16;

    /// <summary>Limits of the state scripts keep across blocks with <c>store</c>/<c>load</c>.</summary>
    public ScriptStateOptions State { get; init; } = ScriptStateOptions.Default;

    /// <summary>
    /// Durable approvals (off by default): a call that needs approval does not wait for an answer; its block ends
    /// <see cref="Runtime.ScriptStatus.Suspended"/> with a resume token, its tool-call log is kept in the state store,
    /// and <c>ResumeAsync</c> continues it later — on any host instance sharing the store — by replaying the script
    /// with the logged calls answered from the log. Needs a state store (checked at start). <c>Date</c> and
    /// <c>Math.random</c> are then deterministic per block (a clock that stands still, a seeded generator) so a
    /// replay takes the same path.
    /// </summary>
    public bool DurableApprovals { get; init; }

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Engine))
        {
            problems.Add("Engine must name an engine (e.g. 'jint')");
        }

        if (Isolation is { } isolation && !Enum.IsDefined(isolation))
        {
            problems.Add($"Isolation '{isolation}' is not an isolation mode (InProcess, Process)");
        }

        if (Limits is null)
        {
            problems.Add("Limits must be set");
        }
        else
        {
            problems.AddRange(Limits.Validate());
        }

        if (!Enum.IsDefined(Mode))
        {
            problems.Add($"Mode '{Mode}' is not a tool mode");
        }

        if (MaxParallelScripts is < 1 or > 256)
        {
            problems.Add("MaxParallelScripts must be between 1 and 256");
        }

        if (MaxConcurrentToolExecutions is < 1 or > 4096)
        {
            problems.Add("MaxConcurrentToolExecutions must be between 1 and 4096");
        }

        if (MaxAbandonedToolExecutions is < 1 or > 4096)
        {
            problems.Add("MaxAbandonedToolExecutions must be between 1 and 4096");
        }

        if (MaxBlocksPerReply is < 1 or > 100_000)
        {
            problems.Add("MaxBlocksPerReply must be between 1 and 100000");
        }

        if (MaxToolCallsPerReply is < 1 or > 1_000_000)
        {
            problems.Add("MaxToolCallsPerReply must be between 1 and 1000000");
        }

        if (MaxReplyTime <= TimeSpan.Zero || MaxReplyTime > TimeSpan.FromDays(1))
        {
            problems.Add("MaxReplyTime must be positive and at most one day");
        }

        if (MaxReplyLength is < 1024 or > MaxReplyLengthLimit)
        {
            problems.Add($"MaxReplyLength must be between 1024 and {MaxReplyLengthLimit}");
        }

        if (MaxNestingDepth is < 0 or > ScriptContext.MaxNestingDepth)
        {
            problems.Add($"MaxNestingDepth must be between 0 and {ScriptContext.MaxNestingDepth}");
        }

        if (StageCapacity is < 1 or > 65536)
        {
            problems.Add("StageCapacity must be between 1 and 65536");
        }

        if (State is null)
        {
            problems.Add("State must be set");
        }
        else
        {
            problems.AddRange(State.Validate());
        }

        return problems;
    }
}
