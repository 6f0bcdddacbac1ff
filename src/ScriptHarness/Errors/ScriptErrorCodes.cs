namespace ScriptHarness;

/// <summary>The stable wire codes of <see cref="ScriptErrorCode"/> and whether each kind is worth retrying.</summary>
public static class ScriptErrorCodes
{
    // The one table of wire codes: a switch the compiler checks for every value, read both ways.
    private static readonly Dictionary<string, ScriptErrorCode> ByCode =
        Enum.GetValues<ScriptErrorCode>().ToDictionary(c => c.ToCode(), StringComparer.Ordinal);

    /// <summary>All wire codes, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<ScriptErrorCode>().Select(c => c.ToCode())];

    /// <summary>The stable snake_case code of <paramref name="code"/>, e.g. <c>tool_not_found</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not a defined value.</exception>
    public static string ToCode(this ScriptErrorCode code) => code switch
    {
        ScriptErrorCode.SyntaxError => "syntax_error",
        ScriptErrorCode.InvalidUtf8 => "invalid_utf8",
        ScriptErrorCode.ScriptTooLarge => "script_too_large",
        ScriptErrorCode.BannedIdentifier => "banned_identifier",
        ScriptErrorCode.NestedBlock => "nested_block",
        ScriptErrorCode.UnclosedBlock => "unclosed_block",
        ScriptErrorCode.RuntimeError => "runtime_error",
        ScriptErrorCode.Timeout => "timeout",
        ScriptErrorCode.MemoryLimit => "memory_limit",
        ScriptErrorCode.RecursionLimit => "recursion_limit",
        ScriptErrorCode.Cancelled => "cancelled",
        ScriptErrorCode.ToolNotFound => "tool_not_found",
        ScriptErrorCode.ToolValidationFailed => "tool_validation_failed",
        ScriptErrorCode.ToolExecutionFailed => "tool_execution_failed",
        ScriptErrorCode.ToolBudgetExceeded => "tool_budget_exceeded",
        ScriptErrorCode.ConcurrencyLimit => "concurrency_limit",
        ScriptErrorCode.ApprovalDenied => "approval_denied",
        ScriptErrorCode.ApprovalTimeout => "approval_timeout",
        ScriptErrorCode.DetachedPromise => "detached_promise",
        ScriptErrorCode.ReturnValueTooLarge => "return_value_too_large",
        ScriptErrorCode.SerializationFailed => "serialization_failed",
        ScriptErrorCode.HarnessInternal => "harness_internal",
        ScriptErrorCode.EngineCrashed => "engine_crashed",
        ScriptErrorCode.ReplyLimitExceeded => "reply_limit_exceeded",
        ScriptErrorCode.NestingLimitExceeded => "nesting_limit_exceeded",
        ScriptErrorCode.StateUnavailable => "state_unavailable",
        ScriptErrorCode.StateValueTooLarge => "state_value_too_large",
        ScriptErrorCode.StateQuotaExceeded => "state_quota_exceeded",
        ScriptErrorCode.StateStoreFailed => "state_store_failed",
        ScriptErrorCode.ReplayDiverged => "replay_diverged",
        ScriptErrorCode.ResumeTokenUnknown => "resume_token_unknown",
        ScriptErrorCode.ApprovalUnavailable => "approval_unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a ScriptErrorCode"),
    };

    /// <summary>Parses a wire code; returns false for an unknown one.</summary>
    public static bool TryParse(string code, out ScriptErrorCode value) => ByCode.TryGetValue(code, out value);

    /// <summary>
    /// Whether running the same script again may succeed: transient conditions (time, load, a person's
    /// absence, a failing tool) are retryable; defects in the script itself are not.
    /// </summary>
    public static bool IsRetryable(this ScriptErrorCode code) => code switch
    {
        ScriptErrorCode.Timeout or ScriptErrorCode.Cancelled or ScriptErrorCode.ToolExecutionFailed
            or ScriptErrorCode.ConcurrencyLimit or ScriptErrorCode.ApprovalTimeout
            or ScriptErrorCode.HarnessInternal or ScriptErrorCode.EngineCrashed or ScriptErrorCode.StateStoreFailed => true,
        _ => false,
    };
}
