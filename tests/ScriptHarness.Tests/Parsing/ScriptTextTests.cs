using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptTextTests
{
    [Theory]
    [InlineData("abc", 0, 1, 1)]
    [InlineData("abc", 3, 1, 4)]
    [InlineData("a\nbc", 3, 2, 2)]
    [InlineData("a\r\nbc", 4, 2, 2)]
    [InlineData("a\rb\u2028c\u2029d", 6, 4, 1)]
    [InlineData("a\n", 2, 2, 1)]
    [InlineData("a\r", 2, 2, 1)]
    [InlineData("a\n\nb", 3, 3, 1)]
    [InlineData("\n\nxy", 3, 3, 2)]
    [InlineData("\r\n\r\n", 4, 3, 1)]
    public void PositionOf_CountsJavaScriptLineTerminators(string text, int offset, int line, int column)
    {
        Assert.Equal((line, column), ScriptText.PositionOf(text, offset));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void PositionOf_AnOffsetOutsideTheText_Throws(int offset)
    {
        Assert.Throws<ArgumentOutOfRangeException>("offset", () => ScriptText.PositionOf("abc", offset));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(300)]
    [InlineData(1000)]
    public void IndexOfInvalidUtf8_FindsTheBadByte_AlsoPastTheDecodersFirstChunk(int at)
    {
        var bytes = new byte[1001];
        bytes.AsSpan().Fill((byte)'a');
        bytes[at] = 0xFF;

        Assert.Equal(at, ScriptText.IndexOfInvalidUtf8(bytes));
        Assert.Equal(-1, ScriptText.IndexOfInvalidUtf8("héllo 日本 😀"u8));
        Assert.Equal(-1, ScriptText.IndexOfInvalidUtf8([]));
    }

    [Fact]
    public void IndexOfInvalidUtf8_ATruncatedSequenceAtTheEnd_IsFoundWhereItStarts()
    {
        byte[] bytes = [.. "ab"u8, 0xE6, 0x97];

        Assert.Equal(2, ScriptText.IndexOfInvalidUtf8(bytes));
    }

    // 'H' and 'L' stand for a high and a low surrogate: lone surrogates cannot live in attribute arguments.
    [Theory]
    [InlineData("plain", -1)]
    [InlineData("aHLb", -1)]
    [InlineData("aHb", 1)]
    [InlineData("aLb", 1)]
    [InlineData("HLL", 2)]
    [InlineData("HH", 0)]
    [InlineData("abH", 2)]
    public void IndexOfUnpairedSurrogate_FindsTheFirstLoneSurrogate(string template, int expected)
    {
        var text = template.Replace('H', '\uD83D').Replace('L', '\uDE00');

        Assert.Equal(expected, ScriptText.IndexOfUnpairedSurrogate(text));
    }
}
