using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

public sealed class MalformedBlockTests
{
    [Fact]
    public void Detect_ReplyEndsInsideBlock_ReturnsUnclosedFromOpenTag()
    {
        const string reply = "Checking.\n  <tool-calls>\nreturn 1;";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Checking.\n  ", "M(unclosed_block):<tool-calls>\nreturn 1;"], Segments.Shape(segments));
        var error = Assert.IsType<MalformedSegment>(segments[1]).Error;
        Assert.Equal(ScriptErrorCode.UnclosedBlock, error.Code);
        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_ReplyEndsInsideStringInBlock_IsUnclosed()
    {
        const string reply = "<tool-calls>return '</tool-calls>";

        Assert.Equal(["M(unclosed_block):" + reply], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_UnclosedFence_NamesTheClosingLine()
    {
        var segments = ToolCallDetector.Detect("```ts tool-calls\nreturn 1;\n");

        var error = Assert.IsType<MalformedSegment>(Assert.Single(segments)).Error;
        Assert.Equal(ScriptErrorCode.UnclosedBlock, error.Code);
        Assert.Contains("```ts tool-calls", error.Message, StringComparison.Ordinal);
        Assert.Contains("closing ``` line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_StrayClosingTag_IsMalformedTagBetweenProse()
    {
        const string reply = "Done.\nAll </tool-calls> good.";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Done.\nAll ", "M(nested_block):</tool-calls>", "T: good."], Segments.Shape(segments));
        var error = Assert.IsType<MalformedSegment>(segments[1]).Error;
        Assert.Equal("stray </tool-calls> without a matching <tool-calls>", error.Message);
        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.False(error.Retryable);
    }

    [Fact]
    public void Detect_StrayClosingTagThenBlock_BlockStillFound()
    {
        const string reply = "</tool-calls><tool-calls>go()</tool-calls>";

        Assert.Equal(["M(nested_block):</tool-calls>", "S(Tag):go()"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_NestedOpenTag_MalformedUpToFirstCloseAndLaterBlocksFound()
    {
        const string reply = "A\n<tool-calls>x();\n  <tool-calls>y();</tool-calls>\nB\n<tool-calls>z()</tool-calls>";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(
            ["T:A\n", "M(nested_block):<tool-calls>x();\n  <tool-calls>y();</tool-calls>", "T:\nB\n", "S(Tag):z()"],
            Segments.Shape(segments));
        var error = Assert.IsType<MalformedSegment>(segments[1]).Error;
        Assert.Equal(ScriptErrorCode.NestedBlock, error.Code);
        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("line 2, column 1", error.Message, StringComparison.Ordinal);
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_TrulyNestedPair_LeavesOuterCloseAsStray()
    {
        const string reply = "<tool-calls>a <tool-calls>b</tool-calls> c</tool-calls>";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(
            ["M(nested_block):<tool-calls>a <tool-calls>b</tool-calls>", "T: c", "M(nested_block):</tool-calls>"],
            Segments.Shape(segments));
        Assert.Equal(DetectionErrors.StrayCloseMessage, Assert.IsType<MalformedSegment>(segments[2]).Error.Message);
    }

    [Fact]
    public void Detect_OpenTagInsideString_IsNotNested()
    {
        const string source = "return '<tool-calls>' + `<tool-calls>`;";

        Assert.Equal(["S(Tag):" + source], Segments.Shape(ToolCallDetector.Detect("<tool-calls>" + source + "</tool-calls>")));
    }

    [Fact]
    public void Detect_FenceOpenedInsideFence_IsNestedUpToTheClosingLine()
    {
        const string reply = "```js tool-calls\na()\n```js tool-calls\nb()\n```\nafter";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["M(nested_block):```js tool-calls\na()\n```js tool-calls\nb()\n```", "T:\nafter"], Segments.Shape(segments));
        Assert.Equal((3, 1), (Assert.IsType<MalformedSegment>(segments[0]).Error.Line, Assert.IsType<MalformedSegment>(segments[0]).Error.Column));
    }

    [Fact]
    public void Detect_TagOpenedInsideFence_ClosesAtWhicheverCloserComesFirst()
    {
        const string reply = "```js tool-calls\n<tool-calls>\nb()\n```\n<tool-calls>c()</tool-calls>";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["M(nested_block):```js tool-calls\n<tool-calls>\nb()\n```", "T:\n", "S(Tag):c()"], Segments.Shape(segments));
    }

    [Fact]
    public void Detect_TagInsideFence_ItsCloserEndsTheFence()
    {
        // The inner block's closer ends the malformed block too, before any closing fence line.
        const string reply = "```js tool-calls\na()\n<tool-calls>b()</tool-calls>\nc()\n";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["M(nested_block):```js tool-calls\na()\n<tool-calls>b()</tool-calls>", "T:\nc()\n"], Segments.Shape(segments));
        var error = Assert.IsType<MalformedSegment>(segments[0]).Error;
        Assert.Equal((3, 1), (error.Line, error.Column));
        Assert.EndsWith("so close each block before opening the next", error.Message, StringComparison.Ordinal);
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_FenceInsideTag_EndsAtTheTagsCloser()
    {
        const string reply = "<tool-calls>a()\n```js tool-calls\nb()\n</tool-calls> after";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["M(nested_block):<tool-calls>a()\n```js tool-calls\nb()\n</tool-calls>", "T: after"], Segments.Shape(segments));
        Assert.EndsWith("so close each block before opening the next", Assert.IsType<MalformedSegment>(segments[0]).Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_FenceInsideTag_EndsAtTheFencesClosingLine()
    {
        const string reply = "<tool-calls>a()\n```js tool-calls\nb()\n```\nafter";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["M(nested_block):<tool-calls>a()\n```js tool-calls\nb()\n```", "T:\nafter"], Segments.Shape(segments));
    }

    [Fact]
    public void Detect_BlockAfterABlock_StartsWithAFreshLexer()
    {
        // A slash first in the second block starts a regular expression, whatever the first block ended with (an
        // identifier, after which a slash would divide): the `</tool-calls>` in its class is not a closer.
        const string reply = "<tool-calls>x</tool-calls>\n<tool-calls>/[</tool-calls>]/.test(s)</tool-calls>";

        Assert.Equal(["S(Tag):x", "T:\n", "S(Tag):/[</tool-calls>]/.test(s)"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_NestedBlockNeverClosed_ReportsNestedAndEnd()
    {
        const string reply = "<tool-calls>a\n<tool-calls>b";

        var error = Assert.IsType<MalformedSegment>(Assert.Single(ToolCallDetector.Detect(reply))).Error;

        Assert.Equal(ScriptErrorCode.NestedBlock, error.Code);
        Assert.Contains("reply ended", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (error.Line, error.Column));
    }

    [Fact]
    public void Detect_ErrorLineAndColumn_CountFromReplyStartAcrossBlocks()
    {
        const string reply = "l1\n<tool-calls>\nx\n</tool-calls>\nl5 </tool-calls>";

        var error = Assert.IsType<MalformedSegment>(ToolCallDetector.Detect(reply)[^1]).Error;

        Assert.Equal((5, 4), (error.Line, error.Column));
    }
}
