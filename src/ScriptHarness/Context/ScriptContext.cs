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

    /// <summary>The JSON the script sees as <c>context</c> (ids, mode and limits; nothing else of the host).</summary>
    public JsonObject ToScriptJson() => new()
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
