using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>Each option's bounds, both ends, and the problem named (the survivors of mutation testing showed none checked).</summary>
public sealed class ScriptHarnessOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new ScriptHarnessOptions().Validate());
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 0)]
    [InlineData(256, 4096, 4096, 65536, 16)]
    public void Validate_AtEachBound_NoProblems(int parallel, int toolExecutions, int abandoned, int capacity, int nesting)
    {
        var options = new ScriptHarnessOptions
        {
            MaxParallelScripts = parallel, MaxConcurrentToolExecutions = toolExecutions, MaxAbandonedToolExecutions = abandoned, StageCapacity = capacity,
            MaxNestingDepth = nesting,
        };
        Assert.Empty(options.Validate());
    }

    public static TheoryData<ScriptHarnessOptions, string> OutOfBounds() => new()
    {
        { new ScriptHarnessOptions { Engine = " " }, "Engine must name an engine (e.g. 'jint')" },
        { new ScriptHarnessOptions { Limits = null! }, "Limits must be set" },
        { new ScriptHarnessOptions { Mode = (ToolMode)42 }, "Mode '42' is not a tool mode" },
        { new ScriptHarnessOptions { MaxParallelScripts = 0 }, "MaxParallelScripts must be between 1 and 256" },
        { new ScriptHarnessOptions { MaxParallelScripts = 257 }, "MaxParallelScripts must be between 1 and 256" },
        { new ScriptHarnessOptions { MaxConcurrentToolExecutions = 0 }, "MaxConcurrentToolExecutions must be between 1 and 4096" },
        { new ScriptHarnessOptions { MaxConcurrentToolExecutions = 4097 }, "MaxConcurrentToolExecutions must be between 1 and 4096" },
        { new ScriptHarnessOptions { MaxAbandonedToolExecutions = 0 }, "MaxAbandonedToolExecutions must be between 1 and 4096" },
        { new ScriptHarnessOptions { MaxAbandonedToolExecutions = 4097 }, "MaxAbandonedToolExecutions must be between 1 and 4096" },
        { new ScriptHarnessOptions { MaxNestingDepth = -1 }, "MaxNestingDepth must be between 0 and 16" },
        { new ScriptHarnessOptions { MaxNestingDepth = 17 }, "MaxNestingDepth must be between 0 and 16" },
        { new ScriptHarnessOptions { StageCapacity = 0 }, "StageCapacity must be between 1 and 65536" },
        { new ScriptHarnessOptions { StageCapacity = 65537 }, "StageCapacity must be between 1 and 65536" },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public void Validate_OutOfBounds_NamesTheOneProblem(ScriptHarnessOptions options, string problem)
    {
        Assert.Equal([problem], options.Validate());
    }

    [Fact]
    public void Validate_InvalidLimits_AreReported()
    {
        var options = new ScriptHarnessOptions { Limits = ScriptLimits.Default with { MaxToolCalls = -1 } };
        Assert.Single(options.Validate());
    }

    [Fact]
    public void Pipeline_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new HarnessPipeline(null!, new JintEngineFactory()));
        Assert.Throws<ArgumentNullException>(() => new HarnessPipeline(new ScriptHarnessOptions(), null!));
        using var pipeline = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory());
        Assert.Throws<ArgumentNullException>(() => pipeline.RunAsync((string)null!));
        Assert.Throws<ArgumentNullException>(() => pipeline.RunStreamingAsync((IAsyncEnumerable<string>)null!));
        Assert.Throws<ArgumentNullException>(() => pipeline.RunStreamingAsync((System.Threading.Channels.ChannelReader<string>)null!));
        Assert.Throws<ArgumentNullException>(() => pipeline.RunEventsAsync((string)null!));
        Assert.Throws<ArgumentNullException>(() => pipeline.RunStreamingEventsAsync(null!));
    }
}
