using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class ScriptLimitsTests
{
    [Fact]
    public void Default_MatchesTheDesignDefaults()
    {
        var limits = ScriptLimits.Default;
        Assert.Equal(TimeSpan.FromSeconds(30), limits.Timeout);
        Assert.Equal(96L * 1024 * 1024, limits.MemoryBytes);
        Assert.Equal(20 * 1024, limits.MaxScriptBytes);
        Assert.Equal(128 * 1024, limits.MaxReturnValueBytes);
        Assert.Equal(32, limits.MaxToolCalls);
        Assert.Equal(4, limits.MaxConcurrentToolCalls);
        Assert.Equal(TimeSpan.FromMilliseconds(250), limits.GracePeriod);
        Assert.Empty(limits.Validate());
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var limits = new ScriptLimits { Timeout = TimeSpan.Zero, MemoryBytes = 10, MaxConcurrentToolCalls = 0, MaxRecursionDepth = 1 };
        var problems = limits.Validate();
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Timeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MemoryBytes", StringComparison.Ordinal));
    }

    public static TheoryData<string, ScriptLimits, string?> Boundaries => new()
    {
        { "Timeout", ScriptLimits.Default with { Timeout = TimeSpan.FromTicks(1) }, null },
        { "Timeout", ScriptLimits.Default with { Timeout = TimeSpan.FromHours(1) }, null },
        { "Timeout", ScriptLimits.Default with { Timeout = TimeSpan.Zero }, "Limits.Timeout must be between 0 and 1 hour (exclusive of 0)" },
        { "Timeout", ScriptLimits.Default with { Timeout = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1) }, "Limits.Timeout must be between 0 and 1 hour (exclusive of 0)" },
        { "MemoryBytes", ScriptLimits.Default with { MemoryBytes = 1024 * 1024 }, null },
        { "MemoryBytes", ScriptLimits.Default with { MemoryBytes = (1024 * 1024) - 1 }, "Limits.MemoryBytes must be at least 1 MiB" },
        { "MaxRecursionDepth", ScriptLimits.Default with { MaxRecursionDepth = 8 }, null },
        { "MaxRecursionDepth", ScriptLimits.Default with { MaxRecursionDepth = 10_000 }, null },
        { "MaxRecursionDepth", ScriptLimits.Default with { MaxRecursionDepth = 7 }, "Limits.MaxRecursionDepth must be between 8 and 10000" },
        { "MaxRecursionDepth", ScriptLimits.Default with { MaxRecursionDepth = 10_001 }, "Limits.MaxRecursionDepth must be between 8 and 10000" },
        { "MaxScriptBytes", ScriptLimits.Default with { MaxScriptBytes = 16 }, null },
        { "MaxScriptBytes", ScriptLimits.Default with { MaxScriptBytes = 16 * 1024 * 1024 }, null },
        { "MaxScriptBytes", ScriptLimits.Default with { MaxScriptBytes = 15 }, "Limits.MaxScriptBytes must be between 16 bytes and 16 MiB" },
        { "MaxScriptBytes", ScriptLimits.Default with { MaxScriptBytes = (16 * 1024 * 1024) + 1 }, "Limits.MaxScriptBytes must be between 16 bytes and 16 MiB" },
        { "MaxReturnValueBytes", ScriptLimits.Default with { MaxReturnValueBytes = 64 }, null },
        { "MaxReturnValueBytes", ScriptLimits.Default with { MaxReturnValueBytes = 64 * 1024 * 1024 }, null },
        { "MaxReturnValueBytes", ScriptLimits.Default with { MaxReturnValueBytes = 63 }, "Limits.MaxReturnValueBytes must be between 64 bytes and 64 MiB" },
        { "MaxReturnValueBytes", ScriptLimits.Default with { MaxReturnValueBytes = (64 * 1024 * 1024) + 1 }, "Limits.MaxReturnValueBytes must be between 64 bytes and 64 MiB" },
        { "MaxToolCalls", ScriptLimits.Default with { MaxToolCalls = 0 }, null },
        { "MaxToolCalls", ScriptLimits.Default with { MaxToolCalls = 100_000 }, null },
        { "MaxToolCalls", ScriptLimits.Default with { MaxToolCalls = -1 }, "Limits.MaxToolCalls must be between 0 and 100000" },
        { "MaxToolCalls", ScriptLimits.Default with { MaxToolCalls = 100_001 }, "Limits.MaxToolCalls must be between 0 and 100000" },
        { "MaxConcurrentToolCalls", ScriptLimits.Default with { MaxConcurrentToolCalls = 1 }, null },
        { "MaxConcurrentToolCalls", ScriptLimits.Default with { MaxConcurrentToolCalls = 1_000 }, null },
        { "MaxConcurrentToolCalls", ScriptLimits.Default with { MaxConcurrentToolCalls = 0 }, "Limits.MaxConcurrentToolCalls must be between 1 and 1000" },
        { "MaxConcurrentToolCalls", ScriptLimits.Default with { MaxConcurrentToolCalls = 1_001 }, "Limits.MaxConcurrentToolCalls must be between 1 and 1000" },
        { "ToolTimeout", ScriptLimits.Default with { ToolTimeout = TimeSpan.FromTicks(1) }, null },
        { "ToolTimeout", ScriptLimits.Default with { ToolTimeout = ScriptLimits.MaxToolTimeout }, null },
        { "ToolTimeout", ScriptLimits.Default with { ToolTimeout = TimeSpan.Zero }, "Limits.ToolTimeout must be positive and at most 49.7 days" },
        { "ToolTimeout", ScriptLimits.Default with { ToolTimeout = ScriptLimits.MaxToolTimeout + TimeSpan.FromMilliseconds(1) }, "Limits.ToolTimeout must be positive and at most 49.7 days" },
        { "GracePeriod", ScriptLimits.Default with { GracePeriod = TimeSpan.Zero }, null },
        { "GracePeriod", ScriptLimits.Default with { GracePeriod = TimeSpan.FromMinutes(1) }, null },
        { "GracePeriod", ScriptLimits.Default with { GracePeriod = TimeSpan.FromTicks(-1) }, "Limits.GracePeriod must be between 0 and 1 minute" },
        { "GracePeriod", ScriptLimits.Default with { GracePeriod = TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1) }, "Limits.GracePeriod must be between 0 and 1 minute" },
        { "RegexTimeout", ScriptLimits.Default with { RegexTimeout = TimeSpan.FromTicks(1) }, null },
        { "RegexTimeout", ScriptLimits.Default with { RegexTimeout = TimeSpan.Zero }, "Limits.RegexTimeout must be positive" },
        { "MaxArrayLength", ScriptLimits.Default with { MaxArrayLength = 1_000 }, null },
        { "MaxArrayLength", ScriptLimits.Default with { MaxArrayLength = 999 }, "Limits.MaxArrayLength must be at least 1000" },
        { "MaxLogEntries", ScriptLimits.Default with { MaxLogEntries = 0 }, null },
        { "MaxLogEntries", ScriptLimits.Default with { MaxLogEntries = -1 }, "Limits.MaxLogEntries must not be negative" },
        { "MaxLogsPerSecond", ScriptLimits.Default with { MaxLogsPerSecond = 1 }, null },
        { "MaxLogsPerSecond", ScriptLimits.Default with { MaxLogsPerSecond = 0 }, "Limits.MaxLogsPerSecond must be at least 1" },
        { "MaxProgressEvents", ScriptLimits.Default with { MaxProgressEvents = 0 }, null },
        { "MaxProgressEvents", ScriptLimits.Default with { MaxProgressEvents = -1 }, "Limits.MaxProgressEvents must not be negative" },
        { "ProgressInterval", ScriptLimits.Default with { ProgressInterval = TimeSpan.Zero }, null },
        { "ProgressInterval", ScriptLimits.Default with { ProgressInterval = TimeSpan.FromTicks(-1) }, "Limits.ProgressInterval must not be negative" },
        { "MaxMessageLength", ScriptLimits.Default with { MaxMessageLength = 16 }, null },
        { "MaxMessageLength", ScriptLimits.Default with { MaxMessageLength = 15 }, "Limits.MaxMessageLength must be at least 16" },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Validate_HoldsEachLimitAtItsBounds(string limit, ScriptLimits limits, string? problem)
    {
        var problems = limits.Validate();

        if (problem is null)
        {
            Assert.True(problems.Count == 0, $"{limit}: {string.Join("; ", problems)}");
        }
        else
        {
            Assert.Equal([problem], problems);
        }
    }

    [Fact]
    public void Default_HasTheDocumentedValuesOfEveryOtherLimit()
    {
        var limits = ScriptLimits.Default;
        Assert.Equal(256, limits.MaxRecursionDepth);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.ToolTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), limits.RegexTimeout);
        Assert.Equal(1_000_000u, limits.MaxArrayLength);
        Assert.Equal(200, limits.MaxLogEntries);
        Assert.Equal(20, limits.MaxLogsPerSecond);
        Assert.Equal(50, limits.MaxProgressEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(500), limits.ProgressInterval);
        Assert.Equal(1_000, limits.MaxMessageLength);
    }
}
