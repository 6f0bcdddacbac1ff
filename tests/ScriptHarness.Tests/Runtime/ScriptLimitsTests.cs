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
}
