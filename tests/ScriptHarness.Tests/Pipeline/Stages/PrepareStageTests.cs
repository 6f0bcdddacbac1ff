using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Pipeline.Stages;

public sealed class PrepareStageTests
{
    private static readonly RunIdentity Identity = new("conv", "sess", "turn");
    private static readonly ParsedScript Script = new("return 1;", "abc123");

    private static PrepareStage CreateSut(ToolMode mode = ToolMode.Enabled, ScriptLimits? limits = null, int depth = 0) =>
        new(Identity, mode, limits ?? ScriptLimits.Default, depth);

    [Fact]
    public void Prepare_ToolsDisabled_SettledAsSkippedNamingTheScript()
    {
        var outcome = Assert.IsType<PipelineItem.Settled>(CreateSut(ToolMode.Disabled).Prepare(new PipelineItem.Parsed(5, Script))).Outcome;

        Assert.Equal((5, ScriptStatus.Skipped, "abc123"), (outcome.Index, outcome.Status, outcome.Sha256));
        Assert.Null(outcome.Error);
    }

    [Theory]
    [InlineData(ToolMode.Enabled)]
    [InlineData(ToolMode.DryRun)]
    public void Prepare_ToolsOn_ReadyWithTheRunsIdsModeAndLimits(ToolMode mode)
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 7 };

        var ready = Assert.IsType<PipelineItem.Ready>(CreateSut(mode, limits).Prepare(new PipelineItem.Parsed(3, Script)));

        Assert.Equal(3, ready.Index);
        Assert.Same(Script, ready.Prepared.Script);
        var context = ready.Prepared.Context;
        Assert.Equal(("conv", "sess", "turn", "turn/s3"), (context.ConversationId, context.SessionId, context.TurnId, context.ScriptId));
        Assert.Equal(mode, context.Mode);
        Assert.Same(limits, context.Limits);
        Assert.Equal(0, context.NestingDepth);
    }

    [Fact]
    public void Prepare_NestedReply_ContextCarriesTheDepth()
    {
        var ready = Assert.IsType<PipelineItem.Ready>(CreateSut(depth: 2).Prepare(new PipelineItem.Parsed(0, Script)));

        Assert.Equal(2, ready.Prepared.Context.NestingDepth);
    }
}
