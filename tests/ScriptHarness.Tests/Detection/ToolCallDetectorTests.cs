using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

public sealed class ToolCallDetectorTests
{
    [Fact]
    public void Detect_EmptyReply_ReturnsNoSegments()
    {
        Assert.Empty(ToolCallDetector.Detect(string.Empty));
    }

    [Fact]
    public void Detect_NullReply_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ToolCallDetector.Detect(null!));
    }

    [Fact]
    public void Detect_ProseOnly_ReturnsOneTextSegment()
    {
        var segments = ToolCallDetector.Detect("Just an answer, 1 < 2 and `code`.");

        var text = Assert.IsType<TextSegment>(Assert.Single(segments));
        Assert.Equal(new TextSegment(0, 0, 33, "Just an answer, 1 < 2 and `code`."), text);
    }

    [Fact]
    public void Detect_TextBlockText_ReturnsThreeSegmentsWithOffsets()
    {
        const string reply = "Let me look.\n<tool-calls>return 1;</tool-calls>\nDone.";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(3, segments.Count);
        Assert.Equal(new TextSegment(0, 0, 13, "Let me look.\n"), segments[0]);
        Assert.Equal(new ScriptSegment(1, 13, 34, "return 1;", 25, BlockForm.Tag), segments[1]);
        Assert.Equal(new TextSegment(2, 47, 6, "\nDone."), segments[2]);
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_ReplyIsOnlyABlock_ReturnsOneScript()
    {
        const string reply = "<tool-calls>\nreturn await tools.files.list({ dir: \"src\" });\n</tool-calls>";

        var script = Assert.IsType<ScriptSegment>(Assert.Single(ToolCallDetector.Detect(reply)));

        Assert.Equal(0, script.Start);
        Assert.Equal(reply.Length, script.Length);
        Assert.Equal("\nreturn await tools.files.list({ dir: \"src\" });\n", script.Source);
        Assert.Equal(12, script.SourceStart);
    }

    [Fact]
    public void Detect_EmptyBlock_ReturnsScriptWithEmptySource()
    {
        var script = Assert.IsType<ScriptSegment>(Assert.Single(ToolCallDetector.Detect("<tool-calls></tool-calls>")));

        Assert.Equal(string.Empty, script.Source);
        Assert.Equal(12, script.SourceStart);
    }

    [Fact]
    public void Detect_TwoBlocks_KeepsWhitespaceBetweenThemAsText()
    {
        const string reply = "<tool-calls>a()</tool-calls>\n\n<tool-calls>b()</tool-calls>";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["S(Tag):a()", "T:\n\n", "S(Tag):b()"], Segments.Shape(segments));
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_AdjacentBlocks_EmitsNoEmptyText()
    {
        var segments = ToolCallDetector.Detect("<tool-calls>a()</tool-calls><tool-calls>b()</tool-calls>");

        Assert.Equal(["S(Tag):a()", "S(Tag):b()"], Segments.Shape(segments));
        Assert.Equal([0, 1], segments.Select(s => s.Index));
    }

    [Fact]
    public void Detect_ProseWithLookalikeTags_StaysProse()
    {
        const string reply = "<tool-call> <Tool-Calls> <tool-calls  > </tool-callsx <tool- `x`";

        Assert.Equal(["T:" + reply], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_ReplyEndsWithPartialTag_KeepsItAsProse()
    {
        Assert.Equal(["T:see <tool-cal"], Segments.Shape(ToolCallDetector.Detect("see <tool-cal")));
    }

    [Fact]
    public void Detect_LessThanInsideBlock_DoesNotEndIt()
    {
        const string reply = "<tool-calls>if (a < b && c <d) return x</tool-calls>";

        Assert.Equal(["S(Tag):if (a < b && c <d) return x"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_ReplyLongerThanOneChunk_IsReadWhole()
    {
        // The whole-reply detector reads in 16 KB chunks: a block across the chunk edge and the text after it are kept.
        var prose = new string('p', (16 * 1024) - 5);
        var reply = prose + "<tool-calls>x()</tool-calls>" + new string('q', 20_000);

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:" + prose, "S(Tag):x()", "T:" + new string('q', 20_000)], Segments.Shape(segments));
        Segments.AssertTiles(reply, segments);
    }
}
