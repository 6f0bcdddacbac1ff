using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// Which calls a nested reply runs inside: a gate counts as held only while a call of the chain runs, up to the first
/// link whose calls have all ended; the ambient calls flow into the code they start and are put back after.
/// </summary>
public sealed class ToolNestingTests
{
    private readonly ToolExecutionGate _gate = new(1);
    private readonly ToolExecutionGate _other = new(1);

    [Fact]
    public void Holds_OnlyWhileACallRuns_AndOnlyItsOwnGate()
    {
        var calls = new ToolNesting(null, _gate, 1);
        Assert.False(calls.Holds(_gate));

        calls.CallStarted();
        Assert.True(calls.Holds(_gate));
        Assert.False(calls.Holds(_other));

        calls.CallEnded();
        Assert.False(calls.Holds(_gate));
    }

    [Fact]
    public void Holds_ThroughRunningAncestors_NotPastOneWhoseCallsEnded()
    {
        var outer = new ToolNesting(null, _gate, 1);
        var middle = new ToolNesting(outer, _other, 2);
        var inner = new ToolNesting(middle, _other, 3);
        outer.CallStarted();
        middle.CallStarted();
        inner.CallStarted();
        Assert.True(inner.Holds(_gate));

        // A reply started and left behind by a handler whose call ended waits like any other.
        middle.CallEnded();
        Assert.False(inner.Holds(_gate));
        Assert.True(inner.Holds(_other));
        Assert.Equal(3, inner.Depth);
    }

    [Fact]
    public async Task Enter_IsSeenByWhatItStarts_AndRestoreEndsIt()
    {
        var calls = new ToolNesting(null, _gate, 1);
        Assert.Null(ToolNesting.Current);

        var outer = calls.Enter();
        var seen = Task.Run(() => ToolNesting.Current);
        ToolNesting.Restore(outer);

        Assert.Same(calls, await seen);
        Assert.Null(ToolNesting.Current);
    }
}
