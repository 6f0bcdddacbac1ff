using ScriptHarness.Context;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Telemetry;

/// <summary>Span names, tag names and the value spellings of the records (the jsonl spellings).</summary>
internal static class TelemetryNames
{
    public const string ReplySpan = "scriptharness.reply";
    public const string ResumeSpan = "scriptharness.resume";
    public const string ScriptSpan = "execute_script";
    public const string ToolSpan = "execute_tool";

    public const string Engine = "scriptharness.engine";
    public const string Isolation = "scriptharness.isolation";
    public const string ConversationId = "gen_ai.conversation.id";
    public const string ScriptId = "scriptharness.script.id";
    public const string Status = "scriptharness.status";
    public const string ErrorType = "error.type";
    public const string ToolCallCount = "scriptharness.script.tool_calls";
    public const string EngineDurationMs = "scriptharness.script.engine_duration_ms";
    public const string Scripts = "scriptharness.reply.scripts";
    public const string OperationName = "gen_ai.operation.name";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolType = "gen_ai.tool.type";
    public const string ToolArguments = "gen_ai.tool.call.arguments";
    public const string ToolResult = "gen_ai.tool.call.result";
    public const string Outcome = "scriptharness.approval.outcome";
    public const string Limit = "scriptharness.limit";

    public static string Wire(ScriptStatus status) => status switch
    {
        ScriptStatus.Ok => "ok",
        ScriptStatus.Error => "error",
        ScriptStatus.Suspended => "suspended",
        _ => "skipped",
    };

    public static string Wire(ToolCallStatus status) => status switch
    {
        ToolCallStatus.Succeeded => "ok",
        ToolCallStatus.Failed => "error",
        ToolCallStatus.DryRun => "dry_run",
        ToolCallStatus.Cancelled => "cancelled",
        ToolCallStatus.Detached => "detached",
        ToolCallStatus.Suspended => "suspended",
        _ => "running",
    };

    /// <summary>Whether <paramref name="code"/> means a limit stopped the script.</summary>
    public static bool IsLimit(ScriptErrorCode code) => code is ScriptErrorCode.Timeout or ScriptErrorCode.MemoryLimit
        or ScriptErrorCode.RecursionLimit or ScriptErrorCode.ToolBudgetExceeded or ScriptErrorCode.ConcurrencyLimit
        or ScriptErrorCode.ReturnValueTooLarge or ScriptErrorCode.ScriptTooLarge;

    /// <summary>The key that finds a reply's span from the scripts it runs: their contexts hold the ids made safe.</summary>
    public static string ReplyKey(RunIdentity identity) => ReplyKey(
        ScriptContextFactory.Sanitize(identity.ConversationId), ScriptContextFactory.Sanitize(identity.SessionId), ScriptContextFactory.Sanitize(identity.TurnId));

    public static string ReplyKey(ScriptContext context) => ReplyKey(context.ConversationId, context.SessionId, context.TurnId);

    private static string ReplyKey(string conversation, string session, string turn) => $"{conversation}\n{session}\n{turn}";
}
