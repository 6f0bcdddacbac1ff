using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The run loop with a bridge that receives its calls' answers on the engine's thread (<see cref="IReceivingToolBridge"/>).
/// The runs execute on a pool thread, as on an engine's own thread: no synchronization context there, so an answer
/// given inside the receive completes the call in place (under xUnit's context the runtime would post it instead).
/// </summary>
public sealed partial class ScriptRunTests
{
    [Fact]
    public async Task AReceivingBridge_AnswersOnTheRunsThread_WhileTheRunWaits()
    {
        var bridge = new ReceivingBridge();
        var runThread = 0;
        using var run = new FakeRun(ScriptRunHelper.Prepare("return 1;", Limits), bridge, default, _clock, r =>
        {
            runThread = Environment.CurrentManagedThreadId;
            Assert.Null(r.Call("t.slow", 7));
        });
        bridge.OnReceive = () => bridge.Answer(ToolResult.Success(JsonValue.Create("here")));
        run.OnSettle = (r, c) => r.DoReport(ScriptReport.Returned(c.Result.Value!.ToJsonString()));

        var result = await Task.Run(run.Execute);

        Assert.Equal("\"here\"", result.Value!.ToJsonString());
        Assert.Equal(7, Assert.Single(run.Settled).State);
        Assert.Equal([runThread], bridge.ReceivedOn);
        Assert.Equal([Limits.Timeout], bridge.Timeouts); // the run's time left: the fake clock stood still
    }

    [Fact]
    public void AReceiveThatBringsNothing_IsFollowedByAnotherLook_AndTheDeadlineStillHolds()
    {
        var bridge = new ReceivingBridge();
        using var run = new FakeRun(ScriptRunHelper.Prepare("return 1;", Limits with { GracePeriod = TimeSpan.Zero }), bridge, default, _clock,
            r => Assert.Null(r.Call("t.hang", 1)));
        bridge.OnReceive = () => _clock.Advance(TimeSpan.FromSeconds(2));
        var started = TimeProvider.System.GetTimestamp();

        var result = run.Execute();

        Assert.Equal(EngineErrors.Timeout(Limits), result.Error);
        // A receive that returned true was the wait: a run that then also waited on its completion queue would sit out
        // that wait's seconds in real time (the queue's wait is not on the fake clock).
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(4));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)], bridge.Timeouts);
        Assert.Empty(run.Settled);
    }

    [Fact]
    public async Task ABridgeThatCannotReceive_LeavesTheRunToWaitForACompletionFromAnotherThread()
    {
        var bridge = new ReceivingBridge { CanReceive = false };
        using var run = new FakeRun(ScriptRunHelper.Prepare("return 1;", Limits), bridge, default, _clock, r =>
        {
            Assert.Null(r.Call("t.slow", 3));
            _ = Task.Run(() => bridge.Answer(ToolResult.Success(JsonValue.Create(4))));
        });
        run.OnSettle = (r, c) => r.DoReport(ScriptReport.Returned(c.Result.Value!.ToJsonString()));

        var result = await Task.Run(run.Execute);

        Assert.Equal("4", result.Value!.ToJsonString());
        Assert.NotEmpty(bridge.ReceivedOn); // asked, refused, and the run waited the usual way
    }

    [Fact]
    public async Task AnUnawaitedCall_AnsweredByTheBridgeInTheGracePeriod_IsSettledBeforeTheResult()
    {
        var bridge = new ReceivingBridge();
        using var run = new FakeRun(ScriptRunHelper.Prepare("return 1;", Limits), bridge, default, _clock, r =>
        {
            Assert.Null(r.Call("t.log", 9));
            r.DoReport(ScriptReport.Returned("1"));
        });
        bridge.OnReceive = () => bridge.Answer(ToolResult.Success(null));

        Assert.True((await Task.Run(run.Execute)).IsSuccess);

        Assert.Equal(9, Assert.Single(run.Settled).State);
        Assert.Single(bridge.ReceivedOn);
    }

    /// <summary>A bridge whose calls stay pending until <see cref="Answer"/>; its receive runs a test's action.</summary>
    private sealed class ReceivingBridge : IReceivingToolBridge
    {
        // Not asynchronous: an answer given inside Receive completes the call on the receiving thread, as a worker's does.
        private TaskCompletionSource<ToolResult> _pending = new();

        public bool CanReceive { get; init; } = true;

        public Action? OnReceive { get; set; }

        public List<int> ReceivedOn { get; } = [];

        public List<TimeSpan> Timeouts { get; } = [];

        public IReadOnlyCollection<string> ToolNames => [];

        public TimeSpan PausedTime => TimeSpan.Zero;

        public void Answer(ToolResult result) => _pending.TrySetResult(result);

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
        {
            _pending = new TaskCompletionSource<ToolResult>();
            return new ValueTask<ToolResult>(_pending.Task);
        }

        public bool Receive(TimeSpan timeout, CancellationToken cancellationToken)
        {
            ReceivedOn.Add(Environment.CurrentManagedThreadId);
            Timeouts.Add(timeout);
            if (!CanReceive)
            {
                return false;
            }

            OnReceive?.Invoke();
            return true;
        }

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
