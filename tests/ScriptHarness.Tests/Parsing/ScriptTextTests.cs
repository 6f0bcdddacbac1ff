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
    public void PositionOf_CountsJavaScriptLineTerminators(string text, int offset, int line, int column)
    {
        Assert.Equal((line, column), ScriptText.PositionOf(text, offset));
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
