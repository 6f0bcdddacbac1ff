using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

public sealed class DedicatedThreadPoolOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndAsDocumented()
    {
        var options = new DedicatedThreadPoolOptions();
        Assert.Equal(Math.Max(4, Environment.ProcessorCount * 2), options.MaxThreads);
        Assert.True(options.MaxThreads >= 4);
        Assert.Equal(16 * 1024 * 1024, options.StackBytes);
        Assert.Equal("ScriptHarness.Engine", options.ThreadName);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.IdleTimeout);
        Assert.True(options.KeepLastThread);
        Assert.Equal(TimeSpan.Zero, options.SpinBeforeWaiting);
        Assert.False(options.QueueWorkFromOwnThreads);
        Assert.Equal(10_000, options.MaxQueued);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void EachProblem_IsNamedWithItsSetting()
    {
        var problems = new DedicatedThreadPoolOptions
        {
            MaxThreads = 0, StackBytes = (256 * 1024) - 1, ThreadName = "", IdleTimeout = TimeSpan.FromTicks(-1),
            SpinBeforeWaiting = TimeSpan.FromMilliseconds(100) + TimeSpan.FromTicks(1), MaxQueued = -1,
        }.Validate();
        Assert.Equal(
            [
                "DedicatedThreadPool:MaxThreads must be at least 1",
                "DedicatedThreadPool:StackBytes must be at least 262144 (256 KiB)",
                "DedicatedThreadPool:ThreadName must not be empty",
                "DedicatedThreadPool:IdleTimeout must be positive or Timeout.InfiniteTimeSpan",
                "DedicatedThreadPool:SpinBeforeWaiting must be between 0 and 100 ms",
                "DedicatedThreadPool:MaxQueued must be at least 1",
            ],
            problems);
    }

    [Fact]
    public void EveryBound_IsValidAtItsEdge()
    {
        var options = new DedicatedThreadPoolOptions
        {
            MaxThreads = 1, StackBytes = 256 * 1024, ThreadName = "x", IdleTimeout = TimeSpan.FromTicks(1),
            SpinBeforeWaiting = TimeSpan.FromMilliseconds(100), MaxQueued = 1,
        };
        Assert.Empty(options.Validate());
        Assert.Empty((options with { SpinBeforeWaiting = TimeSpan.Zero }).Validate());
        Assert.Single((options with { SpinBeforeWaiting = TimeSpan.FromTicks(-1) }).Validate());
        Assert.Single((options with { IdleTimeout = TimeSpan.Zero }).Validate());
        Assert.Single((options with { MaxQueued = 0 }).Validate());
    }
}
