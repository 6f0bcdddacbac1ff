namespace ScriptHarness.Runtime;

/// <summary>
/// The limits one script runs under. Every limit has a documented default and none means "unlimited";
/// <see cref="Validate"/> reports every out-of-range value at once.
/// </summary>
public sealed record ScriptLimits
{
    /// <summary>The defaults (DESIGN §6).</summary>
    public static ScriptLimits Default { get; } = new();

    /// <summary>Wall-clock time from the script's start to its result. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Memory per sandbox, in bytes. Default 96 MiB. On Jint this is an allocation budget for the whole run
    /// (garbage included), not a cap on live heap; see the README.
    /// </summary>
    public long MemoryBytes { get; init; } = 96L * 1024 * 1024;

    /// <summary>Maximum JavaScript call depth. Default 256 frames.</summary>
    public int MaxRecursionDepth { get; init; } = 256;

    /// <summary>Maximum script source size in UTF-8 bytes. Default 20 KiB.</summary>
    public int MaxScriptBytes { get; init; } = 20 * 1024;

    /// <summary>Maximum size of the JSON return value in UTF-8 bytes. Default 128 KiB.</summary>
    public int MaxReturnValueBytes { get; init; } = 128 * 1024;

    /// <summary>Tool calls allowed per script. Default 32.</summary>
    public int MaxToolCalls { get; init; } = 32;

    /// <summary>Tool calls of one script in flight at once; further calls wait their turn. Default 4.</summary>
    public int MaxConcurrentToolCalls { get; init; } = 4;

    /// <summary>Time limit for one tool call, handler included. Default 10 s.</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long un-awaited tool calls may run on after the script has ended. Default 250 ms.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Time limit for a single regular-expression match. Default 1 s.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Maximum length of one array. Default 1,000,000 elements.</summary>
    public uint MaxArrayLength { get; init; } = 1_000_000;

    /// <summary>Console events kept per script; more are counted and dropped. Default 200.</summary>
    public int MaxLogEntries { get; init; } = 200;

    /// <summary>Console events accepted per second; more are counted and dropped. Default 20.</summary>
    public int MaxLogsPerSecond { get; init; } = 20;

    /// <summary>Progress events kept per script; more are counted and dropped. Default 50.</summary>
    public int MaxProgressEvents { get; init; } = 50;

    /// <summary>Minimum time between two progress events; sooner ones are counted and dropped. Default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum length of one console or progress message, in characters. Default 1,000.</summary>
    public int MaxMessageLength { get; init; } = 1_000;

    /// <summary>
    /// The longest tool time limit: what a timer holds (2^32 - 2 ms, about 49.7 days). A longer one made every call of
    /// the tool fail, since its timer could not be set.
    /// </summary>
    public static TimeSpan MaxToolTimeout { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Returns every problem with these limits; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(Timeout > TimeSpan.Zero && Timeout <= TimeSpan.FromHours(1), nameof(Timeout), "must be between 0 and 1 hour (exclusive of 0)");
        Check(MemoryBytes >= 1024 * 1024, nameof(MemoryBytes), "must be at least 1 MiB");
        Check(MaxRecursionDepth is >= 8 and <= 10_000, nameof(MaxRecursionDepth), "must be between 8 and 10000");
        Check(MaxScriptBytes is >= 16 and <= 16 * 1024 * 1024, nameof(MaxScriptBytes), "must be between 16 bytes and 16 MiB");
        Check(MaxReturnValueBytes is >= 64 and <= 64 * 1024 * 1024, nameof(MaxReturnValueBytes), "must be between 64 bytes and 64 MiB");
        Check(MaxToolCalls is >= 0 and <= 100_000, nameof(MaxToolCalls), "must be between 0 and 100000");
        Check(MaxConcurrentToolCalls is >= 1 and <= 1_000, nameof(MaxConcurrentToolCalls), "must be between 1 and 1000");
        Check(IsToolTimeout(ToolTimeout), nameof(ToolTimeout), $"must be positive and at most {MaxToolTimeout.TotalDays:0.#} days");
        Check(GracePeriod >= TimeSpan.Zero && GracePeriod <= TimeSpan.FromMinutes(1), nameof(GracePeriod), "must be between 0 and 1 minute");
        Check(RegexTimeout > TimeSpan.Zero, nameof(RegexTimeout), "must be positive");
        Check(MaxArrayLength >= 1_000, nameof(MaxArrayLength), "must be at least 1000");
        Check(MaxLogEntries >= 0, nameof(MaxLogEntries), "must not be negative");
        Check(MaxLogsPerSecond >= 1, nameof(MaxLogsPerSecond), "must be at least 1");
        Check(MaxProgressEvents >= 0, nameof(MaxProgressEvents), "must not be negative");
        Check(ProgressInterval >= TimeSpan.Zero, nameof(ProgressInterval), "must not be negative");
        Check(MaxMessageLength >= 16, nameof(MaxMessageLength), "must be at least 16");
        return problems;

        void Check(bool ok, string name, string rule)
        {
            if (!ok)
            {
                problems.Add($"Limits.{name} {rule}");
            }
        }
    }

    internal static bool IsToolTimeout(TimeSpan limit) => limit > TimeSpan.Zero && limit <= MaxToolTimeout;
}
