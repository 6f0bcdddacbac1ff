using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// The harness-wide gate of running handlers on its own: slots, waiting for one, abandoned handlers counting against the
/// bound until they end, and refusals once too many are abandoned.
/// </summary>
public sealed class ToolExecutionGateTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 1, "maxConcurrentExecutions")]
    [InlineData(1, 0, "maxAbandoned")]
    [InlineData(-1, 64, "maxConcurrentExecutions")]
    public void Constructor_BoundsBelowOne_AreRefused(int concurrent, int abandoned, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ToolExecutionGate(concurrent, abandoned));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Constructor_BoundsOfOne_AreKept()
    {
        using var gate = new ToolExecutionGate(1, 1);
        Assert.Equal((1, 1, 0, 0), (gate.Capacity, gate.MaxAbandoned, gate.InUse, gate.Abandoned));
    }

    [Fact]
    public async Task EnterAsync_AFreeSlot_IsTakenAtOnce_AndExitGivesItBack()
    {
        using var gate = new ToolExecutionGate(2);
        var first = gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(2, gate.InUse);
        Assert.Equal(new ToolExecutionStatistics(Running: 2, Abandoned: 0, TotalAbandoned: 0, Refused: 0, Threads: 0), gate.Statistics);

        gate.Exit();
        Assert.Equal(1, gate.InUse);
        await first;
        await second;
    }

    [Fact]
    public async Task EnterAsync_NoFreeSlot_WaitsForAnExit()
    {
        using var gate = new ToolExecutionGate(1);
        await gate.EnterAsync(CancellationToken.None);
        var waiting = gate.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);

        gate.Exit();
        await waiting.WaitAsync(Generous);
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task EnterAsync_AWaitThatIsCancelled_EndsWithoutTakingASlot()
    {
        using var gate = new ToolExecutionGate(1);
        await gate.EnterAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancellation.Token).AsTask();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous));
        gate.Exit();
        Assert.Equal(0, gate.InUse);
    }

    [Fact]
    public async Task Abandon_ASlotHolder_GivesItsSlotBack_AndCountsIt()
    {
        using var gate = new ToolExecutionGate(2, maxAbandoned: 8);
        await gate.EnterAsync(CancellationToken.None);
        await gate.EnterAsync(CancellationToken.None);

        gate.Abandon("x.slow", "c1", holdsSlot: true);
        Assert.Equal((1, 1), (gate.InUse, gate.Abandoned));

        // A borrowed call holds no slot of its own: abandoning it frees none.
        gate.Abandon("x.slow", "c2", holdsSlot: false);
        Assert.Equal((1, 2), (gate.InUse, gate.Abandoned));

        gate.AbandonedEnded("x.slow", "c1", null);
        Assert.Equal(new ToolExecutionStatistics(Running: 1, Abandoned: 1, TotalAbandoned: 2, Refused: 0, Threads: 0), gate.Statistics);
    }

    [Fact]
    public async Task EnterAsyncAndEnterBorrowed_AtTheAbandonedBound_AreRefusedUntilOneEnds()
    {
        using var gate = new ToolExecutionGate(4, maxAbandoned: 2);
        gate.Abandon("x.slow", "c1", holdsSlot: false);
        gate.EnterBorrowed(); // one abandoned, one below the bound: still admitted
        await gate.EnterAsync(CancellationToken.None);
        gate.Exit();
        gate.Abandon("x.slow", "c2", holdsSlot: false);

        var refused = Assert.Throws<ToolException>(() => { _ = gate.EnterAsync(CancellationToken.None); });
        Assert.Equal(ScriptErrorCode.ConcurrencyLimit, refused.Error.Code);
        Assert.Equal("2 tool handlers are still running past their time limit; no tool can run until some of them end", refused.Error.Message);
        Assert.Equal(ScriptErrorCode.ConcurrencyLimit, Assert.Throws<ToolException>(gate.EnterBorrowed).Error.Code);
        Assert.Equal(2, gate.Statistics.Refused);
        Assert.Equal(0, gate.InUse);

        gate.AbandonedEnded("x.slow", "c1", new InvalidOperationException("its late failure, only logged"));
        await gate.EnterAsync(CancellationToken.None);
        gate.EnterBorrowed();
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task EnterAsync_AWaiterAdmittedAfterTheBoundWasReached_IsRefusedAndLeavesTheSlot()
    {
        using var gate = new ToolExecutionGate(1, maxAbandoned: 1);
        await gate.EnterAsync(CancellationToken.None);
        var waiting = gate.EnterAsync(CancellationToken.None).AsTask();

        // The slot's holder is abandoned: its slot comes free, but the bound of abandoned handlers is now reached.
        gate.Abandon("x.slow", "c1", holdsSlot: true);

        var refused = await Assert.ThrowsAsync<ToolException>(() => waiting.WaitAsync(Generous));
        Assert.Equal(ScriptErrorCode.ConcurrencyLimit, refused.Error.Code);
        Assert.Equal(0, gate.InUse);
        Assert.Equal(1, gate.Statistics.Refused);
    }

    [Fact]
    public async Task ExitWhenStopped_AHandlerThatStopsWithinTheGrace_GivesItsSlotBackAndDisposesItsTimer()
    {
        var time = new TimerRecordingTime();
        using var gate = new ToolExecutionGate(1, time: time);
        await gate.EnterAsync(CancellationToken.None);
        var handler = new TaskCompletionSource();

        gate.ExitWhenStopped(handler.Task, "x.slow", "c1", holdsSlot: true);
        Assert.Equal(1, gate.InUse);
        handler.SetResult();

        Assert.Equal((0, 0), (gate.InUse, gate.Abandoned));
        Assert.True(time.Timers.Single().Disposed, "the grace timer outlived the handler it watched");
        time.Advance(ToolExecutionGate.StopGrace * 2);
        Assert.Equal(0, gate.Statistics.TotalAbandoned);
    }

    [Fact]
    public async Task ExitWhenStopped_AHandlerStillRunningAfterTheGrace_IsAbandoned_ThenCountedOutWhenItEnds()
    {
        var time = new TimerRecordingTime();
        using var gate = new ToolExecutionGate(1, time: time);
        await gate.EnterAsync(CancellationToken.None);
        var handler = new TaskCompletionSource();

        gate.ExitWhenStopped(handler.Task, "x.slow", "c1", holdsSlot: true);
        time.Advance(ToolExecutionGate.StopGrace - TimeSpan.FromMilliseconds(1));
        Assert.Equal((1, 0), (gate.InUse, gate.Abandoned));
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal((0, 1), (gate.InUse, gate.Abandoned));
        Assert.True(time.Timers.Single().Disposed, "the grace timer was left behind once it fired");

        handler.SetException(new InvalidOperationException("late"));
        Assert.Equal(new ToolExecutionStatistics(Running: 0, Abandoned: 0, TotalAbandoned: 1, Refused: 0, Threads: 0), gate.Statistics);
    }

    [Fact]
    public void ExitWhenStopped_ABorrowedCall_GivesBackNoSlotEitherWay()
    {
        var time = new TimerRecordingTime();
        using var gate = new ToolExecutionGate(2, time: time);
        var stops = new TaskCompletionSource();
        var hangs = new TaskCompletionSource();

        gate.ExitWhenStopped(stops.Task, "x.slow", "c1", holdsSlot: false);
        gate.ExitWhenStopped(hangs.Task, "x.slow", "c2", holdsSlot: false);
        stops.SetResult();
        time.Advance(ToolExecutionGate.StopGrace);

        // A released slot that was never taken would show as a negative count in use.
        Assert.Equal((0, 1), (gate.InUse, gate.Abandoned));
        hangs.SetResult();
        Assert.Equal(0, gate.Abandoned);
    }

    /// <summary>A fake clock that keeps the timers it creates, to tell whether each was disposed.</summary>
    private sealed class TimerRecordingTime : FakeTimeProvider
    {
        public List<RecordedTimer> Timers { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new RecordedTimer(base.CreateTimer(callback, state, dueTime, period));
            Timers.Add(timer);
            return timer;
        }
    }

    private sealed class RecordedTimer(ITimer inner) : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            Disposed = true;
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return inner.DisposeAsync();
        }
    }
}
