namespace ScriptHarness.State;

/// <summary>Where and for how long the state store keeps conversations. Immutable; checked when the store is built.</summary>
public sealed record ScriptStateStoreOptions
{
    /// <summary>The defaults.</summary>
    public static ScriptStateStoreOptions Default { get; } = new();

    /// <summary>
    /// Redis to keep state in, as a StackExchange.Redis configuration string (<c>host:port</c>, options after commas) or
    /// <c>redis://host:port</c>; configuration key <c>State:Redis</c>. In memory (this process only) when null.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Prefix of every cache key, so the state shares a cache with other data safely (<c>scriptharness:state:</c>).</summary>
    public string KeyPrefix { get; init; } = "scriptharness:state:";

    /// <summary>How long a conversation's state is kept after it was last read or written (7 days).</summary>
    public TimeSpan Expiration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Redis is not null && RedisAddress.Parse(Redis) is null)
        {
            problems.Add($"State:Redis '{Redis}' is not a Redis address: use host:port or redis://host:port");
        }

        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 200)
        {
            problems.Add("State:KeyPrefix must be 1 to 200 characters");
        }

        if (Expiration <= TimeSpan.Zero || Expiration > TimeSpan.FromDays(3650))
        {
            problems.Add("State:Expiration must be positive and at most 3650 days");
        }

        return problems;
    }
}
