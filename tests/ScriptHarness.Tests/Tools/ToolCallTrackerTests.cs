using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// A script's record of its tool calls: each call's status, result, error and duration, the first completion winning,
/// and the seal at the script's end that turns calls still running (or started later) into detached ones.
/// </summary>
public sealed class ToolCallTrackerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Snapshot_GivesEachCallInStartOrder_WithItsOutcomeAndDuration()
    {
        var sut = new ToolCallTracker(_time);
        var ok = sut.Start("c1", "a.ok");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        var failed = sut.Start("c2", "a.fails");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        sut.Complete(ok, ToolCallStatus.Succeeded, JsonValue.Create(42));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "a.fails failed");
        sut.Complete(failed, ToolCallStatus.Failed, error: error);
        _time.Advance(TimeSpan.FromSeconds(1)); // after both ended: their durations stay

        var calls = sut.Snapshot();

        Assert.Equal(
            [("c1", "a.ok", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(15)), ("c2", "a.fails", ToolCallStatus.Failed, TimeSpan.FromMilliseconds(25))],
            calls.Select(c => (c.CallId, c.Tool, c.Status, c.Duration)));
        Assert.Equal(42, calls[0].Result!.GetValue<int>());
        Assert.Null(calls[0].Error);
        Assert.Null(calls[1].Result);
        Assert.Same(error, calls[1].Error);
    }

    [Fact]
    public void Snapshot_ARunningCall_CountsItsDurationUpToNow()
    {
        var sut = new ToolCallTracker(_time);
        sut.Start("c1", "a.slow");
        _time.Advance(TimeSpan.FromMilliseconds(30));
        var first = sut.Snapshot().Single();
        _time.Advance(TimeSpan.FromMilliseconds(40));

        Assert.Equal((ToolCallStatus.Running, TimeSpan.FromMilliseconds(30)), (first.Status, first.Duration));
        Assert.Equal(TimeSpan.FromMilliseconds(70), sut.Snapshot().Single().Duration);
    }

    [Fact]
    public void Complete_TheFirstCompletionWins()
    {
        var sut = new ToolCallTracker(_time);
        var call = sut.Start("c1", "a.tool");
        sut.Complete(call, ToolCallStatus.Cancelled);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        sut.Complete(call, ToolCallStatus.Succeeded, JsonValue.Create("late"));

        var record = sut.Snapshot().Single();
        Assert.Equal((ToolCallStatus.Cancelled, TimeSpan.Zero), (record.Status, record.Duration));
        Assert.Null(record.Result);
    }

    [Fact]
    public void Seal_DetachesTheCallsStillRunning_AtTheSealsTime_AndNamesThem()
    {
        var sut = new ToolCallTracker(_time);
        var done = sut.Start("c1", "a.done");
        sut.Start("c2", "a.running");
        sut.Start("c3", "a.running");
        sut.Complete(done, ToolCallStatus.Succeeded, JsonValue.Create(1));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var detached = sut.Seal();
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["c2", "c3"], detached);
        Assert.Equal(
            [(ToolCallStatus.Succeeded, TimeSpan.Zero), (ToolCallStatus.Detached, TimeSpan.FromMilliseconds(100)), (ToolCallStatus.Detached, TimeSpan.FromMilliseconds(100))],
            sut.Snapshot().Select(c => (c.Status, c.Duration)));
    }

    [Fact]
    public void Complete_ADetachedCall_KeepsItDetachedWithoutItsResult()
    {
        var sut = new ToolCallTracker(_time);
        var late = sut.Start("c1", "a.late");
        sut.Seal();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        sut.Complete(late, ToolCallStatus.Succeeded, JsonValue.Create("dropped"));

        var record = sut.Snapshot().Single();
        Assert.Equal((ToolCallStatus.Detached, TimeSpan.Zero), (record.Status, record.Duration));
        Assert.Null(record.Result);
    }

    [Fact]
    public void Complete_ACallStartedAfterTheSeal_IsDetached_ItsResultDroppedAndItsErrorKept()
    {
        var sut = new ToolCallTracker(_time);
        Assert.Empty(sut.Seal());
        var started = sut.Start("c1", "a.after");
        var other = sut.Start("c2", "a.after");
        _time.Advance(TimeSpan.FromMilliseconds(7));
        sut.Complete(started, ToolCallStatus.Succeeded, JsonValue.Create("dropped"));
        var error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "failed late");
        sut.Complete(other, ToolCallStatus.Failed, JsonValue.Create("dropped too"), error);

        var records = sut.Snapshot();
        Assert.All(records, r => Assert.Equal((ToolCallStatus.Detached, TimeSpan.FromMilliseconds(7)), (r.Status, r.Duration)));
        Assert.All(records, r => Assert.Null(r.Result));
        Assert.Null(records[0].Error);
        Assert.Same(error, records[1].Error);
    }

    [Fact]
    public void Snapshot_IsACopy()
    {
        var sut = new ToolCallTracker(_time);
        var call = sut.Start("c1", "a.tool");
        var before = sut.Snapshot();
        sut.Complete(call, ToolCallStatus.Succeeded);
        sut.Start("c2", "a.tool");

        Assert.Equal(ToolCallStatus.Running, before.Single().Status);
        Assert.Equal(2, sut.Snapshot().Count);
    }
}
