using System.Collections.Frozen;

namespace ScriptHarness;

/// <summary>The stable wire codes of <see cref="ScriptErrorCode"/> and whether each kind is worth retrying.</summary>
public static class ScriptErrorCodes
{
    private static readonly string[] Codes =
    [
        "syntax_error", "invalid_utf8", "script_too_large", "banned_identifier", "nested_block", "unclosed_block",
        "runtime_error", "timeout", "memory_limit", "recursion_limit", "cancelled", "tool_not_found",
        "tool_validation_failed", "tool_execution_failed", "tool_budget_exceeded", "concurrency_limit",
        "approval_denied", "approval_timeout", "detached_promise", "return_value_too_large",
        "serialization_failed", "harness_internal",
    ];

    private static readonly FrozenDictionary<string, ScriptErrorCode> ByCode =
        Enum.GetValues<ScriptErrorCode>().ToFrozenDictionary(c => Codes[(int)c], StringComparer.Ordinal);

    /// <summary>All wire codes, in declaration order.</summary>
    public static IReadOnlyList<string> All => Codes;

    /// <summary>The stable snake_case code of <paramref name="code"/>, e.g. <c>tool_not_found</c>.</summary>
    public static string ToCode(this ScriptErrorCode code) => Codes[(int)code];

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
            or ScriptErrorCode.HarnessInternal => true,
        _ => false,
    };
}
