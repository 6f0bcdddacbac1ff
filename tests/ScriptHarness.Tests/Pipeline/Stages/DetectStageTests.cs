using Microsoft.Extensions.Logging;
using ScriptHarness.Detection;
using ScriptHarness.Pipeline;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline.Stages;

public sealed class DetectStageTests
{
    private static DetectStage CreateSut(ILogger? logger = null) => new(StageServices.Create(logger: logger));

    [Fact]
    public void Detect_ReplyInChunks_EachSegmentOnceWhenDecidedThenTheRestAtTheEnd()
    {
        var sut = CreateSut();

        Assert.Empty(sut.Detect(new ReplyChunk("Hi <tool-")));
        var second = sut.Detect(new ReplyChunk("calls>return 1;</tool-calls> bye"));
        var end = sut.Detect(ReplyChunk.End);

        Assert.Collection(second,
            s => Assert.Equal((0, "Hi "), (s.Index, Assert.IsType<TextSegment>(s).Text)),
            s => Assert.Equal((1, "return 1;"), (s.Index, Assert.IsType<ScriptSegment>(s).Source)));
        Assert.Equal((2, " bye"), (Assert.Single(end).Index, Assert.IsType<TextSegment>(end[0]).Text));
    }

    [Fact]
    public void Detect_ScannerFails_HarnessInternalBlockAfterTheLastSegmentAndLogged()
    {
        using var log = new RecordingLoggerProvider();
        var sut = CreateSut(log.CreateLogger("test"));
        Assert.Equal(2, sut.Detect(new ReplyChunk("a<tool-calls>1</tool-calls>")).Length);
        sut.Detect(ReplyChunk.End);

        // A scanner used past the reply's end throws: the stage turns that into a result, one per failing chunk.
        var first = Assert.IsType<MalformedSegment>(Assert.Single(sut.Detect(new ReplyChunk("late"))));
        var second = Assert.IsType<MalformedSegment>(Assert.Single(sut.Detect(ReplyChunk.End)));

        Assert.Equal((2, ScriptErrorCode.HarnessInternal, "the reply could not be read"), (first.Index, first.Error.Code, first.Error.Message));
        Assert.Empty(first.Raw);
        Assert.Equal(3, second.Index);
        Assert.Equal(2, log.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("detect stage", StringComparison.Ordinal)));
    }
}
