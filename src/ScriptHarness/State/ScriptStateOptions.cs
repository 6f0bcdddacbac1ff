namespace ScriptHarness.State;

/// <summary>
/// Limits of the state scripts keep across blocks with <c>store</c>/<c>load</c> (<see cref="IScriptStateStore"/>).
/// Immutable; checked with the harness's options at start.
/// </summary>
public sealed record ScriptStateOptions
{
    /// <summary>The defaults.</summary>
    public static ScriptStateOptions Default { get; } = new();

    /// <summary>Largest value one <c>store</c> call may keep, in bytes of UTF-8 JSON (64 KiB); over it: <c>state_value_too_large</c>.</summary>
    public int MaxValueBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest state one conversation may keep, all keys together, in bytes of UTF-8 JSON (1 MiB); a <c>store</c> that
    /// would pass it fails with <c>state_quota_exceeded</c> and changes nothing.
    /// </summary>
    public int MaxConversationBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Largest record a block suspended under durable approvals leaves in the store, in bytes of UTF-8 JSON (4 MiB): its
    /// script, and the result of every call it made before the one that waits. A block whose record would pass it does
    /// not suspend: it ends with <c>state_quota_exceeded</c>, and its waiting call is not run.
    /// </summary>
    public int MaxResumeBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Longest key, in UTF-16 code units (256).</summary>
    public int MaxKeyLength { get; init; } = 256;

    /// <summary>
    /// How long one read or write of the store may take (5 s); past it the call fails with <c>state_store_failed</c>
    /// (retryable), so an unreachable Redis is reported as what it is. The tool time limit still applies.
    /// </summary>
    public TimeSpan StoreTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxValueBytes is < 16 or > 64 * 1024 * 1024)
        {
            problems.Add("State.MaxValueBytes must be between 16 and 67108864");
        }

        if (MaxConversationBytes < MaxValueBytes || MaxConversationBytes > 256 * 1024 * 1024)
        {
            problems.Add("State.MaxConversationBytes must be at least State.MaxValueBytes and at most 268435456");
        }

        if (MaxResumeBytes is < 64 * 1024 or > 256 * 1024 * 1024)
        {
            problems.Add("State.MaxResumeBytes must be between 65536 and 268435456");
        }

        if (MaxKeyLength is < 1 or > 4096)
        {
            problems.Add("State.MaxKeyLength must be between 1 and 4096");
        }

        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("State.StoreTimeout must be positive and at most 10 minutes");
        }

        return problems;
    }
}
