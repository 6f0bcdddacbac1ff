namespace ScriptHarness;

/// <summary>
/// Every kind of error the harness reports. Each has a stable snake_case wire code
/// (<see cref="ScriptErrorCodes.ToCode(ScriptErrorCode)"/>) used in results, CLI output and conformance expectations.
/// </summary>
public enum ScriptErrorCode
{
    /// <summary><c>syntax_error</c>: the script does not parse.</summary>
    SyntaxError,
    /// <summary><c>invalid_utf8</c>: the script is not valid UTF-8 (or holds unpaired surrogates).</summary>
    InvalidUtf8,
    /// <summary><c>script_too_large</c>: the script source exceeds the size limit.</summary>
    ScriptTooLarge,
    /// <summary><c>banned_identifier</c>: the script references a banned global such as <c>eval</c> or <c>require</c>.</summary>
    BannedIdentifier,
    /// <summary><c>nested_block</c>: a block opens inside another block, or a closing tag has no opening tag.</summary>
    NestedBlock,
    /// <summary><c>unclosed_block</c>: a block is opened and never closed.</summary>
    UnclosedBlock,
    /// <summary><c>runtime_error</c>: the script threw.</summary>
    RuntimeError,
    /// <summary><c>timeout</c>: the script ran past its wall-clock limit.</summary>
    Timeout,
    /// <summary><c>memory_limit</c>: the script exceeded its memory limit.</summary>
    MemoryLimit,
    /// <summary><c>recursion_limit</c>: the script exceeded its call-depth limit.</summary>
    RecursionLimit,
    /// <summary><c>cancelled</c>: the host cancelled the run.</summary>
    Cancelled,
    /// <summary><c>tool_not_found</c>: the script called a tool that is not registered.</summary>
    ToolNotFound,
    /// <summary><c>tool_validation_failed</c>: the tool arguments do not match the tool's schema or rules.</summary>
    ToolValidationFailed,
    /// <summary><c>tool_execution_failed</c>: the tool's handler failed.</summary>
    ToolExecutionFailed,
    /// <summary><c>tool_budget_exceeded</c>: the script made more tool calls than allowed.</summary>
    ToolBudgetExceeded,
    /// <summary><c>concurrency_limit</c>: too many tool calls were waiting at once.</summary>
    ConcurrencyLimit,
    /// <summary><c>approval_denied</c>: a person denied the tool call.</summary>
    ApprovalDenied,
    /// <summary><c>approval_timeout</c>: nobody answered the approval request in time.</summary>
    ApprovalTimeout,
    /// <summary><c>detached_promise</c>: tool calls were still running when the script ended (a warning).</summary>
    DetachedPromise,
    /// <summary><c>return_value_too_large</c>: the script's return value exceeds the size limit.</summary>
    ReturnValueTooLarge,
    /// <summary><c>serialization_failed</c>: the script's return value cannot be serialized to JSON.</summary>
    SerializationFailed,
    /// <summary><c>harness_internal</c>: a defect in the harness itself.</summary>
    HarnessInternal,
    /// <summary>
    /// <c>engine_crashed</c>: the process running the script's engine died or was killed mid-script (out of memory,
    /// killed at the time limit, a malformed message, exited with a code); Process isolation only. The host is unharmed
    /// and the next script gets a fresh engine process.
    /// </summary>
    EngineCrashed,

    /// <summary><c>reply_limit_exceeded</c>: the reply holds more blocks than one reply may run (<c>MaxBlocksPerReply</c>), or ran past its time (<c>MaxReplyTime</c>).</summary>
    ReplyLimitExceeded,

    /// <summary>
    /// <c>nesting_limit_exceeded</c>: a tool handler ran a reply nested deeper in tool calls than the harness allows
    /// (<c>MaxNestingDepth</c>); the nested reply's blocks are not run.
    /// </summary>
    NestingLimitExceeded,

    /// <summary>
    /// <c>state_unavailable</c>: the script called <c>store</c> or <c>load</c> but the host has no state store, or the
    /// run was given no conversation id to keep state under.
    /// </summary>
    StateUnavailable,

    /// <summary><c>state_value_too_large</c>: a value given to <c>store</c> is larger than one value may be (<c>State.MaxValueBytes</c>).</summary>
    StateValueTooLarge,

    /// <summary><c>state_quota_exceeded</c>: storing the value would take the conversation's state past its quota (<c>State.MaxConversationBytes</c>).</summary>
    StateQuotaExceeded,

    /// <summary><c>state_store_failed</c>: the state store (Redis, say) failed or could not be reached; worth retrying.</summary>
    StateStoreFailed,

    /// <summary>
    /// <c>replay_diverged</c>: a resumed script (<c>ResumeAsync</c>) made a different tool call, or the same tool with other
    /// arguments, at a position its log recorded, so the log no longer answers for it; the block ends. Not worth retrying.
    /// </summary>
    ReplayDiverged,

    /// <summary><c>resume_token_unknown</c>: the resume token is unknown, expired, or was already used.</summary>
    ResumeTokenUnknown,

    /// <summary>
    /// <c>approval_unavailable</c>: a call that needs approval was made where nobody can be asked: in a reply a tool handler
    /// runs (a nested reply) on a harness with durable approvals. Such a block cannot suspend — the call that runs it is
    /// already under way, and a replay would run its handler again — so the call is refused. Not worth retrying.
    /// </summary>
    ApprovalUnavailable,
}
