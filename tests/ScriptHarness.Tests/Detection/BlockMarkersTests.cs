using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>
/// The marker matchers at their edges: a marker cut by the end of a chunk waits for more, a reply that ends there or a
/// text that cannot become the marker does not, and a fence line is at most <see cref="BlockMarkers.MaxFenceLine"/> long.
/// </summary>
public sealed class BlockMarkersTests
{
    // The expected match by name: MarkerMatch is internal, and a public test method cannot take it.
    [Theory]
    [InlineData("<tool", false, "NeedMore")]
    [InlineData("<tool", true, "NoMatch")]
    [InlineData("<toal", false, "NoMatch")]
    [InlineData("<tool-calls>", true, "Match")]
    [InlineData("<tool-callz>", false, "NoMatch")]
    public void MatchLiteral_WaitsOnlyForWhatCanStillBecomeTheMarker(string text, bool final, string expected)
    {
        Assert.Equal(expected, BlockMarkers.MatchLiteral(text, BlockMarkers.OpenTag, final).ToString());
    }

    [Theory]
    [InlineData("``", false, "NeedMore")]
    [InlineData("``", true, "NoMatch")]
    [InlineData("`x", false, "NoMatch")]
    [InlineData("``x", false, "NoMatch")]
    [InlineData("```js tool-", false, "NeedMore")]
    [InlineData("```js tool-x\n", false, "NoMatch")]
    [InlineData("```js tool-calls\n", false, "Match")]
    public void MatchFenceOpen_WaitsOnlyForWhatCanStillBecomeAFenceLine(string text, bool final, string expected)
    {
        Assert.Equal(expected, BlockMarkers.MatchFenceOpen(text, final, out _, out _).ToString());
    }

    [Theory]
    [InlineData("``", false, "NeedMore")]
    [InlineData("``", true, "NoMatch")]
    [InlineData("`x", false, "NoMatch")]
    [InlineData("``x", false, "NoMatch")]
    [InlineData("```x", false, "NoMatch")]
    public void MatchFenceClose_WaitsOnlyForWhatCanStillBecomeAFenceLine(string text, bool final, string expected)
    {
        Assert.Equal(expected, BlockMarkers.MatchFenceClose(text, final, out _).ToString());
    }

    [Fact]
    public void AFenceLineOfTheMaximumLength_StillWaits_OneLonger_IsNoFence()
    {
        var longest = "```" + new string(' ', BlockMarkers.MaxFenceLine - 3);
        var tooLong = "```" + new string(' ', BlockMarkers.MaxFenceLine + 40);

        Assert.Equal(MarkerMatch.NeedMore, BlockMarkers.MatchFenceClose(longest, final: false, out _));
        Assert.Equal(MarkerMatch.Match, BlockMarkers.MatchFenceClose(longest, final: true, out _));
        Assert.Equal(MarkerMatch.NoMatch, BlockMarkers.MatchFenceClose(tooLong, final: true, out _));
        Assert.Equal(MarkerMatch.NoMatch, BlockMarkers.MatchFenceClose(tooLong, final: false, out _));
    }

    [Fact]
    public void AReplyEndingOnACarriageReturn_EndsTheFenceLine_TheBreakInTheOpenerOnly()
    {
        // An opening line's length takes its break (the script starts after it); a closing one leaves it to the prose.
        Assert.Equal(MarkerMatch.Match, BlockMarkers.MatchFenceOpen("```js tool-calls\r", final: true, out var open, out var form));
        Assert.Equal(17, open);
        Assert.Equal(BlockForm.FencedJavaScript, form);

        Assert.Equal(MarkerMatch.Match, BlockMarkers.MatchFenceClose("``` \r", final: true, out var close));
        Assert.Equal(4, close);
    }
}
