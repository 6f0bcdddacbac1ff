using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>However a reply is cut into chunks, the scanner must find exactly what the one-shot detector finds.</summary>
public sealed class ChunkingTests
{
    [Theory]
    [MemberData(nameof(ReplyCorpus.Indexes), MemberType = typeof(ReplyCorpus))]
    public void Detect_SegmentsTileTheReply(int index)
    {
        var reply = ReplyCorpus.Replies[index];

        Segments.AssertTiles(reply, ToolCallDetector.Detect(reply));
    }

    [Theory]
    [MemberData(nameof(ReplyCorpus.Indexes), MemberType = typeof(ReplyCorpus))]
    public void Detect_EverySplitIntoTwoChunks_MatchesOneShot(int index)
    {
        var reply = ReplyCorpus.Replies[index];
        var expected = ToolCallDetector.Detect(reply);

        for (var cut = 0; cut <= reply.Length; cut++)
        {
            var actual = Segments.Scan([reply[..cut], reply[cut..]]);
            Assert.True(expected.SequenceEqual(actual), $"split at {cut}: [{string.Join(" | ", Segments.Shape(actual))}]");
        }
    }

    [Theory]
    [MemberData(nameof(ReplyCorpus.Indexes), MemberType = typeof(ReplyCorpus))]
    public void Detect_OneCharacterChunks_MatchesOneShot(int index)
    {
        var reply = ReplyCorpus.Replies[index];

        var actual = Segments.Scan(reply.Select(c => c.ToString()));

        Assert.Equal(ToolCallDetector.Detect(reply), actual);
    }

    [Theory]
    [MemberData(nameof(ReplyCorpus.Indexes), MemberType = typeof(ReplyCorpus))]
    public void Detect_RandomChunksWithEmptyOnes_MatchesOneShot(int index)
    {
        var reply = ReplyCorpus.Replies[index];
        var expected = ToolCallDetector.Detect(reply);
        var random = new Random(index); // seeded: a failure reproduces

        for (var round = 0; round < 50; round++)
        {
            var chunks = new List<string>();
            for (var at = 0; at < reply.Length;)
            {
                var size = Math.Min(random.Next(0, 8), reply.Length - at);
                chunks.Add(reply.Substring(at, size));
                at += size;
            }

            Assert.Equal(expected, Segments.Scan(chunks));
        }
    }

    [Fact]
    public void Detect_TagSplitAcrossChunks_EmitsScriptOnce()
    {
        var scanner = new ToolCallScanner();
        var emitted = new List<ReplySegment>();

        scanner.Append("hi <tool-", emitted);
        Assert.Empty(emitted);
        scanner.Append("calls>go()</tool-c", emitted);
        Assert.Equal(["T:hi "], Segments.Shape(emitted));
        scanner.Append("alls>", emitted);
        Assert.Equal(["T:hi ", "S(Tag):go()"], Segments.Shape(emitted));
        scanner.Complete(emitted);

        Assert.Equal(["T:hi ", "S(Tag):go()"], Segments.Shape(emitted));
    }

    [Fact]
    public void Detect_ClosingFenceNeedsItsLineEnd_EmitsWhenLineBreakArrives()
    {
        var scanner = new ToolCallScanner();
        var emitted = new List<ReplySegment>();

        scanner.Append("```js tool-calls\ngo()\n```", emitted);
        Assert.Empty(emitted); // "```x" would not close the block: wait for the line's end
        scanner.Append("\n", emitted);

        Assert.Equal(["S(FencedJavaScript):go()\n"], Segments.Shape(emitted));
    }

    [Fact]
    public void Detect_DivisionRightAfterTheBufferDroppedItsProse_IsReadAfterTheRightCharacter()
    {
        // The second chunk drops the prose ahead of the block from the buffer; the index of the block's last significant
        // character must move with it. Left unmoved it points 5 characters on, at the ';', and the first '/' reads as a
        // regex: its end would be the second '/', whose backtick then opens a template that swallows the closer.
        string[] chunks = ["Hi.\n\n<tool-calls>\nconst a = b", " / 1; const r = /`/; return r;\n</tool-calls>\nafter"];

        var actual = Segments.Scan(chunks);

        Assert.Equal(
            ["T:Hi.\n\n", "S(Tag):\nconst a = b / 1; const r = /`/; return r;\n", "T:\nafter"],
            Segments.Shape(actual));
        Assert.Equal(ToolCallDetector.Detect(string.Concat(chunks)), actual);
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var scanner = new ToolCallScanner();
        scanner.Complete([]);

        Assert.Throws<InvalidOperationException>(() => scanner.Append("x", []));
        Assert.Throws<InvalidOperationException>(() => scanner.Complete([]));
    }

    [Fact]
    public void Detect_LongReplyInSmallChunks_KeepsOffsetsAndPositions()
    {
        var parts = Enumerable.Range(0, 200).Select(i => $"line {i}\n<tool-calls>return {i};</tool-calls>\n");
        var reply = string.Concat(parts) + "end </tool-calls>";

        var chunks = reply.Chunk(7).Select(c => new string(c));
        var actual = Segments.Scan(chunks);

        Assert.Equal(ToolCallDetector.Detect(reply), actual);
        Assert.Equal(401, actual.Count(s => s is ScriptSegment or TextSegment));
        var stray = Assert.IsType<MalformedSegment>(actual[^1]);
        Assert.Equal((401, 5), (stray.Error.Line, stray.Error.Column));
        Segments.AssertTiles(reply, actual);
    }
}
