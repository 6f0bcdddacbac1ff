using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Context;

/// <summary>
/// What a script may know about where it runs. Immutable on the host side and deep-frozen inside the
/// engine as the global <c>context</c>. Ids are sanitized by <see cref="ScriptContextFactory"/>.
/// </summary>
public sealed record ScriptContext
{
    /// <summary>The conversation the reply belongs to.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The agent session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The model turn that produced the reply.</summary>
    public required string TurnId { get; init; }

    /// <summary>This script's id, unique within the turn (e.g. <c>turn-1/s2</c>).</summary>
    public required string ScriptId { get; init; }

    /// <summary>The tool mode in force.</summary>
    public ToolMode Mode { get; init; } = ToolMode.Enabled;

    /// <summary>The limits in force.</summary>
    public ScriptLimits Limits { get; init; } = ScriptLimits.Default;

    /// <summary>The deepest <see cref="NestingDepth"/> any harness allows; engines bound their capacity per depth by it.</summary>
    public const int MaxNestingDepth = 16;

    /// <summary>
    /// How deep in tool calls the script's reply runs: 0 for a reply the host runs, 1 for a reply run by a tool handler
    /// called from such a script (a sub-agent), and so on. An ancestor holds its engine thread, runtime or worker while
    /// it waits for the tool, so engines run a nested script beside its ancestors, never queued behind them; at most
    /// <see cref="MaxNestingDepth"/>. The script does not see it; a tool handler does, through its call's context.
    /// </summary>
    public int NestingDepth { get; init; }

    /// <summary>
    /// Whether the host gave the run its conversation id (<c>RunOptions.Identity</c>) rather than the harness making one
    /// up; only then may the script keep state with <c>store</c>/<c>load</c>, since state under a made-up id would be
    /// found by no later reply.
    /// </summary>
    public bool ConversationGiven { get; init; }

    /// <summary>
    /// With durable approvals, the block's fixed time and random seed: <c>Date.now()</c> and <c>new Date()</c> read this
    /// time throughout the block, and <c>Math.random</c> draws from a generator seeded by it, on the first run and on
    /// every resumed run alike, so the replay takes the same path. Null otherwise (the engine's own clock and generator).
    /// </summary>
    public ReplayClock? Replay { get; init; }

    /// <summary>The JSON the script sees as <c>context</c> (ids, mode and limits; nothing else of the host).</summary>
    public JsonObject ToScriptJson()
    {
        var json = ScriptJson();
        if (Replay is { } replay)
        {
            var seed = replay.Seed;
            json["$replay"] = new JsonObject
            {
                ["now"] = replay.UnixMilliseconds,
                ["seed"] = new JsonArray((uint)seed, (uint)(seed >> 32), (uint)seed ^ 0x9E3779B9u, (uint)(seed >> 32) ^ 0x7F4A7C15u),
            };
        }

        return json;
    }

    private JsonObject ScriptJson() => new()
    {
        ["conversationId"] = ConversationId,
        ["sessionId"] = SessionId,
        ["turnId"] = TurnId,
        ["scriptId"] = ScriptId,
        ["mode"] = Mode switch { ToolMode.DryRun => "dry-run", ToolMode.Disabled => "disabled", _ => "enabled" },
        ["limits"] = new JsonObject
        {
            ["timeoutMs"] = (long)Limits.Timeout.TotalMilliseconds,
            ["memoryBytes"] = Limits.MemoryBytes,
            ["maxRecursionDepth"] = Limits.MaxRecursionDepth,
            ["maxToolCalls"] = Limits.MaxToolCalls,
            ["maxConcurrentToolCalls"] = Limits.MaxConcurrentToolCalls,
            ["maxReturnValueBytes"] = Limits.MaxReturnValueBytes,
        },
    };
}
