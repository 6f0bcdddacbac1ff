using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

public sealed class LineCounterTests
{
    [Fact]
    public void Locate_ForwardPositions_CountLinesAndColumns()
    {
        var counter = new LineCounter();
        const string text = "ab\ncd\n\nef";

        Assert.Equal((1, 1), counter.Locate(text, 0, 0));
        Assert.Equal((2, 2), counter.Locate(text, 0, 4));
        Assert.Equal((4, 2), counter.Locate(text, 0, 8));
    }

    [Fact]
    public void Locate_PositionBeforeCursor_RecountsFromOrigin()
    {
        var counter = new LineCounter();
        const string text = "a\nb\nc";

        Assert.Equal((3, 1), counter.Locate(text, 0, 4));
        Assert.Equal((2, 1), counter.Locate(text, 0, 2));
    }

    [Fact]
    public void Locate_AfterDrop_CountsDroppedLines()
    {
        var counter = new LineCounter();
        counter.Drop("one\ntwo\nthr", 0); // the buffer now starts at reply offset 11, mid-line

        Assert.Equal((3, 4), counter.Locate("ee\nfour", 11, 0));
        Assert.Equal((4, 3), counter.Locate("ee\nfour", 11, 5));
    }
}
