namespace ScriptHarness.AI.Chat;

/// <summary>How <see cref="ScriptHarnessChatClient"/> runs a conversation in code mode. Immutable; validated when the client is built.</summary>
public sealed record ScriptHarnessChatClientOptions
{
    /// <summary>
    /// Model responses one request may go through: each response with a <c>&lt;tool-calls&gt;</c> block is followed by
    /// another with its results. The last response is returned as is, blocks unrun. Default 10; 1 to 100.
    /// </summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>
    /// How long a script waits for the answer to a nested approval request (<c>ToolApprovalRequestContent</c>) before
    /// the call fails with <c>approval_timeout</c>. Default 5 minutes: a person reads the request. Over a harness with
    /// durable approvals nothing waits, so no timeout applies: the resume token lasts as long as the state store keeps it.
    /// </summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the code-mode instructions (rules and TypeScript declarations) are added to <c>ChatOptions.Instructions</c>. Default true.</summary>
    public bool AddInstructions { get; init; } = true;

    /// <summary>
    /// Suspended runs kept in memory at once. Past this, the oldest run of the conversation (<c>ChatOptions.ConversationId</c>)
    /// that keeps the most is cancelled, so that one user of a shared client cancels their own runs, not others'; requests
    /// that name no conversation count as one. Default 16; 1 to 1024. Blocks suspended by durable approvals are kept in
    /// the state store, not here, and do not count.
    /// </summary>
    public int MaxSuspendedRuns { get; init; } = 16;

    /// <summary>The clock for approval timeouts; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Returns every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxIterations is < 1 or > 100)
        {
            problems.Add("MaxIterations must be between 1 and 100");
        }

        if (ApprovalTimeout <= TimeSpan.Zero || ApprovalTimeout > TimeSpan.FromDays(1))
        {
            problems.Add("ApprovalTimeout must be positive and at most a day");
        }

        if (MaxSuspendedRuns is < 1 or > 1024)
        {
            problems.Add("MaxSuspendedRuns must be between 1 and 1024");
        }

        return problems;
    }
}
