using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>
/// The scanner's literals at the places a chunk can cut them (after an escape's backslash, between the CR and LF of a
/// continuation, between a template's <c>$</c> and <c>{</c>, between a comment's <c>*</c> and <c>/</c>), each split point
/// giving the whole reply's segments; deep template nesting; a buffer that grows past its shrink threshold and drops
/// back; and the scanner's own arguments.
/// </summary>
public sealed class ScannerEdgeTests
{
    public static TheoryData<string> Replies => new()
    {
        // A backslash and CRLF continue a string: the closer inside it is text of the string.
        "a <tool-calls>\nconst s = 'x\\\r\n</tool-calls>';\nreturn s;\n</tool-calls> b",
        "a <tool-calls>\nconst s = \"x\\\r\n</tool-calls>\";\nreturn s;\n</tool-calls> b",
        "a <tool-calls>\nconst s = 'x\\\n</tool-calls>';\nreturn s;\n</tool-calls> b",
        // A string broken by a raw line break goes back to code: the closer after it counts.
        "a <tool-calls>\nconst s = 'x\n</tool-calls> b",
        // Templates: an escaped backtick, a '$' not followed by '{', and code inside "${ }" holding braces and strings.
        "a <tool-calls>\nconst t = `\\` $x ${ {a: '}'}.a } </tool-calls> ${'`'}`;\nreturn t;\n</tool-calls> b",
        // Comments: a '*' before the '/' that ends a block comment, a closer inside a comment, a line comment's end.
        "a <tool-calls>\n/* ** </tool-calls> **/ // </tool-calls>\nreturn 1;\n</tool-calls> b",
        // Regular expressions: escapes, a class holding '/', and an escaped line break that ends the literal.
        "a <tool-calls>\nconst r = /a\\/[/\\]]</tool-calls>/g;\nreturn r.source;\n</tool-calls> b",
        "a <tool-calls>\nconst q = 1; const r = q /\\\n</tool-calls> b",
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void EverySplitIntoTwoChunks_GivesTheWholeRepliesSegments(string reply)
    {
        var whole = ToolCallDetector.Detect(reply);
        Segments.AssertTiles(reply, whole);

        for (var cut = 1; cut < reply.Length; cut++)
        {
            var chunked = Segments.Scan([reply[..cut], reply[cut..]]);
            Assert.True(whole.SequenceEqual(chunked), $"cut at {cut}: {string.Join(" | ", Segments.Shape(chunked))}");
        }
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void OneCharacterChunks_GiveTheWholeRepliesSegments(string reply)
    {
        Assert.Equal(ToolCallDetector.Detect(reply), Segments.Scan(reply.Select(c => c.ToString())));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void ABackslashAndALineBreak_ContinueTheString_PastACloserInIt(string lineBreak)
    {
        var reply = $"a <tool-calls>\nconst s = 'x\\{lineBreak}</tool-calls>';\nreturn s;\n</tool-calls> b";

        Assert.Equal(
            ["T:a ", $"S(Tag):\nconst s = 'x\\{lineBreak}</tool-calls>';\nreturn s;\n", "T: b"],
            Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void AStringBrokenByALineBreak_EndsAtIt_AndTheCloserAfterItCounts()
    {
        Assert.Equal(
            ["T:a ", "S(Tag):\nconst s = 'x\n", "T: b"],
            Segments.Shape(ToolCallDetector.Detect("a <tool-calls>\nconst s = 'x\n</tool-calls> b")));
    }

    [Fact]
    public void ARegexBrokenByAnEscapedLineBreak_EndsThere_AndTheCloserAfterItCounts()
    {
        Assert.Equal(
            ["T:a ", "S(Tag):\nconst q = 1; const r = q /\\\n", "T: b"],
            Segments.Shape(ToolCallDetector.Detect("a <tool-calls>\nconst q = 1; const r = q /\\\n</tool-calls> b")));
    }

    [Fact]
    public void TemplatesNestedTwentyDeep_HideACloserInTheInnermostOne()
    {
        var open = string.Concat(Enumerable.Repeat("`${", 20));
        var close = string.Concat(Enumerable.Repeat("}`", 20));
        var source = $"\nreturn {open}'</tool-calls>'{close};\n";
        var reply = $"<tool-calls>{source}</tool-calls>after";

        Assert.Equal([$"S(Tag):{source}", "T:after"], Segments.Shape(ToolCallDetector.Detect(reply)));
        Assert.Equal(ToolCallDetector.Detect(reply), Segments.Scan(reply.Chunk(5).Select(c => new string(c))));
    }

    [Fact]
    public void ABufferGrownPastItsShrinkThreshold_DropsBack_AndKeepsEverySegment()
    {
        // A 300 KB block grows the buffer; the small blocks after it are scanned once it has dropped the block and
        // shrunk. Every segment must still tile the reply; an empty chunk among them changes nothing.
        var big = "<tool-calls>\nreturn '" + new string('x', 300_000) + "';\n</tool-calls>";
        var smalls = string.Concat(Enumerable.Range(0, 50).Select(i => $"text {i} <tool-calls>return {i};</tool-calls>"));
        var reply = "start " + big + smalls + " end";

        var chunked = Segments.Scan(reply.Chunk(4096).Select(c => new string(c)).Concat(["", " "]));
        var whole = ToolCallDetector.Detect(reply + " ");

        Assert.Equal(whole, chunked);
        Segments.AssertTiles(reply + " ", chunked);
        Assert.Equal(51, chunked.Count(s => s is ScriptSegment));
    }

    [Fact]
    public void TheScanner_ChecksItsArguments_AndSaysWhyItRefusesASecondReply()
    {
        var scanner = new ToolCallScanner(-5); // any capacity is taken, a small one as the least
        Assert.Throws<ArgumentNullException>(() => scanner.Append("x", null!));
        Assert.Throws<ArgumentNullException>(() => scanner.Complete(null!));

        var emitted = new List<ReplySegment>();
        scanner.Append("hello", emitted);
        scanner.Complete(emitted);

        Assert.Equal(["T:hello"], Segments.Shape(emitted));
        var error = Assert.Throws<InvalidOperationException>(() => scanner.Append("x", emitted));
        Assert.Equal("The reply was already completed; use a new scanner for the next reply.", error.Message);
    }
}
