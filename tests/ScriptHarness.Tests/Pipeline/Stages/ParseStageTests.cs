using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Pipeline.Stages;

public sealed class ParseStageTests
{
    private static ParseStage CreateSut(ScriptHarnessOptions? options = null, int depth = 0, DecodedReply? decoded = null) =>
        new(StageServices.Create(options), depth, decoded);

    // A tag block as the detector reports it: the source starts after "<tool-calls>" (12 characters).
    private static ScriptSegment Script(int index, string source, int start = 0) =>
        new(index, start, source.Length + 25, source, start + 12, BlockForm.Tag);

    private static ScriptOutcome SettledOutcome(PipelineItem item) => Assert.IsType<PipelineItem.Settled>(item).Outcome;

    [Fact]
    public void Parse_Prose_PassesThroughAsIs()
    {
        var text = new TextSegment(3, 10, 5, "hello");

        var item = CreateSut().Parse(text);

        Assert.Same(text, Assert.IsType<PipelineItem.Prose>(item).Segment);
        Assert.Equal(3, item.Index);
    }

    [Fact]
    public void Parse_ValidScript_ParsedWithItsSourceAndHashAtItsIndex()
    {
        var parsed = Assert.IsType<PipelineItem.Parsed>(CreateSut().Parse(Script(2, "return 1;")));

        Assert.Equal(2, parsed.Index);
        Assert.Equal("return 1;", parsed.Script.Source);
        Assert.Equal(ScriptHash.OfUtf8("return 1;"u8), parsed.Script.Sha256);
    }

    [Fact]
    public void Parse_ScriptTheValidatorRefuses_SettledWithTheValidatorsError()
    {
        var outcome = SettledOutcome(CreateSut().Parse(Script(1, "return (;")));

        Assert.Equal((1, ScriptStatus.Error, ScriptErrorCode.SyntaxError), (outcome.Index, outcome.Status, outcome.Error!.Code));
    }

    [Fact]
    public void Parse_MalformedBlock_SettledWithTheDetectorsError()
    {
        var error = new ScriptError(ScriptErrorCode.UnclosedBlock, "no closing tag");

        var outcome = SettledOutcome(CreateSut().Parse(new MalformedSegment(4, 0, 20, "<tool-calls>return", error)));

        Assert.Equal(4, outcome.Index);
        Assert.Same(error, outcome.Error);
    }

    [Fact]
    public void Parse_BlocksPastTheReplysCap_SettledAsReplyLimitExceeded_MalformedCountProseDoesNot()
    {
        var sut = CreateSut(new ScriptHarnessOptions { MaxBlocksPerReply = 2 });

        var items = new[]
        {
            sut.Parse(Script(0, "return 1;")),
            sut.Parse(new TextSegment(1, 0, 1, "x")),
            sut.Parse(new MalformedSegment(2, 0, 1, "<", new ScriptError(ScriptErrorCode.NestedBlock, "nested"))),
            sut.Parse(Script(3, "return 2;")),
            sut.Parse(new TextSegment(4, 0, 1, "y")),
        };

        Assert.IsType<PipelineItem.Parsed>(items[0]);
        Assert.IsType<PipelineItem.Prose>(items[1]);
        Assert.Equal(ScriptErrorCode.NestedBlock, SettledOutcome(items[2]).Error!.Code);
        var refused = SettledOutcome(items[3]);
        Assert.Equal((3, ScriptErrorCode.ReplyLimitExceeded), (refused.Index, refused.Error!.Code));
        Assert.Contains("more than 2 blocks", refused.Error.Message, StringComparison.Ordinal);
        Assert.IsType<PipelineItem.Prose>(items[4]);
    }

    [Fact]
    public void Parse_ReplyNestedDeeperThanAllowed_EveryBlockSettledProsePasses()
    {
        var options = new ScriptHarnessOptions { MaxNestingDepth = 2 };
        var sut = CreateSut(options, depth: 3);

        var script = SettledOutcome(sut.Parse(Script(0, "return 1;")));
        var malformed = SettledOutcome(sut.Parse(new MalformedSegment(1, 0, 1, "<", new ScriptError(ScriptErrorCode.NestedBlock, "nested"))));

        Assert.Equal((0, ScriptErrorCode.NestingLimitExceeded), (script.Index, script.Error!.Code));
        Assert.Contains("3 levels deep", script.Error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 2 deep", script.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ScriptErrorCode.NestingLimitExceeded, malformed.Error!.Code);
        Assert.IsType<PipelineItem.Prose>(sut.Parse(new TextSegment(2, 0, 1, "x")));
        Assert.IsType<PipelineItem.Parsed>(CreateSut(options, depth: 2).Parse(Script(0, "return 1;")));
    }

    [Fact]
    public void Parse_InvalidUtf8_SettlesOnlyTheScriptWhoseSourceHoldsIt()
    {
        // Offsets 15 (inside the first script's source) and 45 (inside the second block's closing tag, not its source).
        var sut = CreateSut(decoded: new DecodedReply("reply", [15, 45]));

        var bad = SettledOutcome(sut.Parse(Script(0, "return 1;")));
        var good = sut.Parse(Script(1, "return 2;", start: 21));

        Assert.Equal((0, ScriptErrorCode.InvalidUtf8, "the script holds bytes that are not valid UTF-8"), (bad.Index, bad.Error!.Code, bad.Error.Message));
        Assert.IsType<PipelineItem.Parsed>(good);
    }
}
