using System.Text;
using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class ReplyDecoderTests
{
    [Fact]
    public void Decode_ValidUtf8_HasNoInvalidOffsets()
    {
        const string text = "Here: <tool-calls>return '😀 \uFFFD é';</tool-calls>";

        var reply = ReplyDecoder.Decode(Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, reply.Text);
        Assert.Empty(reply.InvalidOffsets);
    }

    [Fact]
    public void Decode_EmptyInputAndLoneBom_GiveEmptyText()
    {
        Assert.Equal(string.Empty, ReplyDecoder.Decode([]).Text);
        Assert.Equal(string.Empty, ReplyDecoder.Decode([0xEF, 0xBB, 0xBF]).Text);
    }

    [Fact]
    public void Decode_LeadingBom_IsDropped()
    {
        var reply = ReplyDecoder.Decode([0xEF, 0xBB, 0xBF, .. "hi"u8]);

        Assert.Equal("hi", reply.Text);
    }

    [Fact]
    public void Decode_InvalidBytes_BecomeReplacementCharactersAtRecordedOffsets()
    {
        byte[] bytes = [.. "ab"u8, 0xFF, .. "cd"u8, 0xC3, .. "e"u8];

        var reply = ReplyDecoder.Decode(bytes);

        Assert.Equal("ab\uFFFDcd\uFFFDe", reply.Text);
        Assert.Equal([2, 5], reply.InvalidOffsets);
    }

    [Fact]
    public void Decode_OffsetsCountUtf16CodeUnits()
    {
        byte[] bytes = [.. "😀é"u8, 0x80];

        var reply = ReplyDecoder.Decode(bytes);

        Assert.Equal([3], reply.InvalidOffsets);
    }

    [Fact]
    public void Decode_TruncatedSequenceAtEnd_IsOneReplacement()
    {
        var reply = ReplyDecoder.Decode([.. "ok"u8, 0xE2, 0x82]);

        Assert.Equal("ok\uFFFD", reply.Text);
        Assert.Equal([2], reply.InvalidOffsets);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // encoded surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0x61, 0xE2, 0x82, 0x61, 0xF0, 0x9F, 0x98 })] // two truncated sequences
    public void Decode_InvalidSequences_MatchTheStandardReplacingDecoder(byte[] bytes)
    {
        var reply = ReplyDecoder.Decode(bytes);

        var expected = Encoding.UTF8.GetString(bytes);
        Assert.Equal(expected, reply.Text);
        Assert.Equal(expected.Count(c => c == '\uFFFD'), reply.InvalidOffsets.Count);
        Assert.All(reply.InvalidOffsets, offset => Assert.Equal('\uFFFD', reply.Text[offset]));
    }

    [Theory]
    [InlineData(0, 2, false)]
    [InlineData(0, 3, true)]
    [InlineData(2, 1, true)]
    [InlineData(3, 7, false)]
    [InlineData(3, 8, true)]
    [InlineData(10, 0, false)]
    [InlineData(11, 5, false)]
    public void HasInvalidUtf8_ReportsWhetherARangeTouchesAnInvalidOffset(int start, int length, bool expected)
    {
        var reply = new DecodedReply(new string('x', 20), [2, 10]);

        Assert.Equal(expected, reply.HasInvalidUtf8(start, length));
    }

    [Theory]
    [InlineData(0, 1, true)]
    [InlineData(6, 1, true)]
    [InlineData(7, 1, true)]
    [InlineData(8, 1, false)]
    [InlineData(5, 0, false)]
    public void HasInvalidUtf8_OverManyOffsets_SearchesTheUpperHalfToo(int start, int length, bool expected)
    {
        var reply = new DecodedReply(new string('\uFFFD', 8) + "xy", [0, 1, 2, 3, 4, 5, 6, 7]);

        Assert.Equal(expected, reply.HasInvalidUtf8(start, length));
    }

    [Fact]
    public void HasInvalidUtf8_ANegativeStartOrLength_Throws()
    {
        var reply = new DecodedReply("abc", [1]);

        Assert.Throws<ArgumentOutOfRangeException>("start", () => reply.HasInvalidUtf8(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>("length", () => reply.HasInvalidUtf8(0, -1));
    }

    [Fact]
    public void HasInvalidUtf8_ForADecodedScriptBlock_FindsTheBadBytes()
    {
        byte[] bytes = [.. "text <tool-calls>x('"u8, 0xFF, .. "')</tool-calls> more"u8];
        var reply = ReplyDecoder.Decode(bytes);
        var blockStart = reply.Text.IndexOf("x(", StringComparison.Ordinal);
        var blockEnd = reply.Text.IndexOf("</tool-calls>", StringComparison.Ordinal);

        Assert.True(reply.HasInvalidUtf8(blockStart, blockEnd - blockStart));
        Assert.False(reply.HasInvalidUtf8(0, blockStart));
        Assert.False(reply.HasInvalidUtf8(blockEnd, reply.Text.Length - blockEnd));
    }
}
