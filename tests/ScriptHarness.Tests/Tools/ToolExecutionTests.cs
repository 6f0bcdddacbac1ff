using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// Running handlers through the facade: the time limit holds whether or not a handler listens to its token, handlers
/// that do not stop are abandoned (bounded, counted), and handlers that may block never run on the caller's thread.
/// </summary>
public sealed class ToolExecutionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    // Real time only bounds waits for work on other threads; the fake clock decides every limit.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    private (ScriptToolBridge Bridge, ToolExecutionGate Gate) CreateSut(int maxConcurrent = 16, int maxAbandoned = 64, params ToolDefinition[] tools)
    {
        var gate = new ToolExecutionGate(maxConcurrent, maxAbandoned, _time);
        var services = new ToolServices(gate, new ToolArgumentValidator(), FixedApprovalService.ApproveAll, NullLogger.Instance, _time);
        var context = ScriptRunHelper.Prepare("", ScriptLimits.Default with { ToolTimeout = Limit, MaxConcurrentToolCalls = 16 }).Context;
        return (new ScriptToolBridge(new ToolRegistry([.. tools, Quick]), context, services), gate);
    }

    private static ToolDefinition Tool(string name, ToolHandler handler, bool nonBlocking = true) =>
        new(name, "", new JsonObject { ["type"] = "object" }, handler) { NonBlocking = nonBlocking };

    private static readonly ToolDefinition Quick = Tool("x.quick", (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create("quick")));

    /// <summary>A handler deaf to its token, until <c>Release</c>.</summary>
    private static (ToolDefinition Tool, TaskCompletionSource<JsonNode?> Release) Deaf(string name = "x.deaf")
    {
        var release = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Tool(name, (_, _, _) => new ValueTask<JsonNode?>(release.Task)), release);
    }

    private static Task<JsonNode?> Call(ScriptToolBridge bridge, string tool) => bridge.InvokeAsync(tool, new JsonObject(), CancellationToken.None).ValueOrThrow();

    private static async Task<ToolException> FailsWith(ScriptErrorCode code, Task<JsonNode?> call)
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => call.WaitAsync(Generous));
        Assert.Equal(code, ex.Error.Code);
        return ex;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invoke_HandlerThrowingAnyOtherException_FailsPlainly_WithoutItsDetails(bool nonBlocking)
    {
        var throws = Tool("x.boom", (_, _, _) => throw new InvalidOperationException("secret host detail"), nonBlocking);
        var faults = Tool("x.fault", (_, _, _) => ValueTask.FromException<JsonNode?>(new IOException("disk path /srv/x")), nonBlocking);
        var (sut, gate) = CreateSut(tools: [throws, faults]);

        Assert.Equal("x.boom failed", (await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.boom"))).Message);
        Assert.Equal("x.fault failed", (await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.fault"))).Message);
        Assert.All(sut.Calls, c => Assert.Equal(ToolCallStatus.Failed, c.Status));
        Assert.Equal(0, gate.InUse); // the slots are given back
    }

    [Fact]
    public async Task Invoke_TheRunCancelledWhileTheHandlerRuns_IsCancelledNamingTheTool()
    {
        var (deaf, _) = Deaf();
        var (sut, gate) = CreateSut(tools: deaf);
        using var cancellation = new CancellationTokenSource();
        var call = sut.InvokeAsync("x.deaf", new JsonObject(), cancellation.Token).ValueOrThrow();
        cancellation.Cancel();

        var ex = await Assert.ThrowsAnyAsync<ScriptHarnessException>(() => call.WaitAsync(Generous));
        Assert.Equal(ScriptErrorCode.Cancelled, ex.Error.Code);
        Assert.Equal("the call to x.deaf was cancelled", ex.Message);
    }

    [Fact]
    public async Task Invoke_HandlerIgnoringItsToken_FailsTimedOutAtItsLimit()
    {
        var (deaf, _) = Deaf();
        var (sut, _) = CreateSut(tools: deaf);
        var call = Call(sut, "x.deaf");
        _time.Advance(Limit - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var ex = await FailsWith(ScriptErrorCode.ToolExecutionFailed, call);
        Assert.Equal("x.deaf timed out after 1000 ms", ex.Message);
        Assert.Equal(ToolCallStatus.Failed, Assert.Single(sut.Calls).Status);
    }

    [Fact]
    public async Task Invoke_HandlerReturningAtItsLimit_OrWithALimitOfZero_IsTimedOut()
    {
        var atLimit = Tool("x.edge", (_, _, _) =>
        {
            _time.Advance(Limit); // as a timer due at the limit would have fired
            return ValueTask.FromResult<JsonNode?>(JsonValue.Create("late"));
        });
        var zero = Tool("x.zero", (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create("late"))) with { Timeout = TimeSpan.Zero };
        var (sut, _) = CreateSut(tools: [atLimit, zero]);

        Assert.Equal("x.edge timed out after 1000 ms", (await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.edge"))).Message);
        Assert.Equal("x.zero timed out after 0 ms", (await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.zero"))).Message);
    }

    [Fact]
    public async Task Invoke_HandlerThatGoesAsynchronousOnlyAfterItsLimit_IsTimedOutAtOnce()
    {
        // The timer is started when the handler goes asynchronous, counting from when it was called.
        var (deaf, release) = Deaf();
        var late = Tool("x.late", (args, call, token) =>
        {
            _time.Advance(Limit);
            return deaf.Handler(args, call, token);
        });
        var (sut, _) = CreateSut(tools: late);

        var ex = await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.late"));
        Assert.Equal("x.late timed out after 1000 ms", ex.Message);
        release.SetResult(null);
    }

    [Fact]
    public async Task Invoke_RunCancelledWhileAHandlerRunsInline_IsCancelled_AndItsResultDropped()
    {
        using var cancellation = new CancellationTokenSource();
        var sawCancelled = new List<bool>();
        var inline = Tool("x.inline", (_, _, token) =>
        {
            sawCancelled.Add(token.IsCancellationRequested);
            cancellation.Cancel(); // the script ends while the handler runs
            return ValueTask.FromResult<JsonNode?>(JsonValue.Create(1));
        });
        var (sut, _) = CreateSut(tools: inline);

        var ex = await Assert.ThrowsAnyAsync<ScriptHarnessException>(() => sut.InvokeAsync("x.inline", new JsonObject(), cancellation.Token).ValueOrThrow());
        Assert.Equal(ScriptErrorCode.Cancelled, ex.Error.Code);
        Assert.Equal([false], sawCancelled);
        Assert.Null(Assert.Single(sut.Calls).Result);
    }

    [Fact]
    public async Task Invoke_ToolWithoutATimeLimit_IsNeverTimedOut_AndOneWithTheLongestLimitATimerTakesRuns()
    {
        var (deaf, release) = Deaf("x.endless");
        var endless = deaf with { Timeout = Timeout.InfiniteTimeSpan };
        var longest = Tool("x.longest", (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create("in time"))) with
        {
            Timeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1),
        };
        var (sut, gate) = CreateSut(tools: [endless, longest]);

        var call = Call(sut, "x.endless");
        _time.Advance(TimeSpan.FromDays(30));
        Assert.False(call.IsCompleted);
        release.SetResult(JsonValue.Create("done"));
        Assert.Equal("done", (await call.WaitAsync(Generous))!.GetValue<string>());

        Assert.Equal("in time", (await Call(sut, "x.longest").WaitAsync(Generous))!.GetValue<string>());
        Assert.Equal(0, gate.InUse); // no handler left running on a slot given back
    }

    [Theory]
    [InlineData(-2_000.0)]
    [InlineData(uint.MaxValue)]
    public void ATimeLimitNoTimerTakes_IsRefusedWhenTheToolIsDefined_NotAtEveryCall(double milliseconds)
    {
        // Before, the tool was registered and each of its calls failed with a bare "x.eon failed".
        var tool = Tool("x.eon", (_, _, _) => ValueTask.FromResult<JsonNode?>(null));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tool with { Timeout = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.Contains("Tool 'x.eon': Timeout must be between 0 and 49.7 days, or infinite.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_HandlerStillRunningAfterTheGrace_IsAbandonedAndItsSlotFreed()
    {
        var (deaf, release) = Deaf();
        var (sut, gate) = CreateSut(maxConcurrent: 1, tools: deaf);
        var call = Call(sut, "x.deaf");
        _time.Advance(Limit);
        await FailsWith(ScriptErrorCode.ToolExecutionFailed, call);
        Assert.Equal(new ToolExecutionStatistics(Running: 1, Abandoned: 0, TotalAbandoned: 0, Refused: 0, Threads: 0), gate.Statistics);

        _time.Advance(ToolExecutionGate.StopGrace);
        Assert.Equal(new ToolExecutionStatistics(Running: 0, Abandoned: 1, TotalAbandoned: 1, Refused: 0, Threads: 0), gate.Statistics);
        Assert.Equal("quick", (await Call(sut, "x.quick").WaitAsync(Generous))!.GetValue<string>()); // the only slot is free again

        release.SetResult(JsonValue.Create("late"));
        await WaitUntil(() => gate.Abandoned == 0);
        Assert.Equal(new ToolExecutionStatistics(Running: 0, Abandoned: 0, TotalAbandoned: 1, Refused: 0, Threads: 0), gate.Statistics);
        Assert.Null(Assert.Single(sut.Calls, c => c.Tool == "x.deaf").Result); // the late result was dropped
    }

    [Fact]
    public async Task Invoke_HandlerThatStopsWhenTold_IsNeverCountedAbandoned()
    {
        var listening = Tool("x.listens", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            return null;
        });
        var (sut, gate) = CreateSut(tools: listening);
        var call = Call(sut, "x.listens");
        _time.Advance(Limit);
        await FailsWith(ScriptErrorCode.ToolExecutionFailed, call);
        await WaitUntil(() => gate.InUse == 0);

        _time.Advance(ToolExecutionGate.StopGrace);
        Assert.Equal(new ToolExecutionStatistics(Running: 0, Abandoned: 0, TotalAbandoned: 0, Refused: 0, Threads: 0), gate.Statistics);
    }

    [Fact]
    public async Task Invoke_WhileTheMostAbandonedHandlersRun_IsRefusedWithConcurrencyLimitAtOnce()
    {
        var (first, releaseFirst) = Deaf("x.first");
        var (second, releaseSecond) = Deaf("x.second");
        var (sut, gate) = CreateSut(maxAbandoned: 2, tools: [first, second]);
        var calls = new[] { Call(sut, "x.first"), Call(sut, "x.second") };
        _time.Advance(Limit);
        foreach (var call in calls)
        {
            await FailsWith(ScriptErrorCode.ToolExecutionFailed, call);
        }

        _time.Advance(ToolExecutionGate.StopGrace);
        Assert.Equal(2, gate.Abandoned);

        var refused = Call(sut, "x.quick");
        Assert.True(refused.IsCompleted, "a saturated harness must refuse at once, not wait");
        var ex = await FailsWith(ScriptErrorCode.ConcurrencyLimit, refused);
        Assert.Contains("2 tool handlers are still running past their time limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, gate.Statistics.Refused);

        releaseFirst.SetResult(null);
        await WaitUntil(() => gate.Abandoned == 1);
        Assert.Equal("quick", (await Call(sut, "x.quick").WaitAsync(Generous))!.GetValue<string>());
        releaseSecond.SetResult(null);
    }

    [Fact]
    public async Task Invoke_WaitingForASlotWhenTheBoundIsReached_IsRefusedInsteadOfHanging()
    {
        var (deaf, release) = Deaf();
        var (sut, gate) = CreateSut(maxConcurrent: 1, maxAbandoned: 1, tools: deaf);
        var stuck = Call(sut, "x.deaf");
        var waiting = Call(sut, "x.quick");
        Assert.False(waiting.IsCompleted); // queued behind the only slot

        _time.Advance(Limit);
        await FailsWith(ScriptErrorCode.ToolExecutionFailed, stuck);
        _time.Advance(ToolExecutionGate.StopGrace); // the slot frees by abandonment, which saturates the harness
        await FailsWith(ScriptErrorCode.ConcurrencyLimit, waiting);
        Assert.Equal(0, gate.InUse);
        release.SetResult(null);
    }

    [Fact]
    public async Task Invoke_HandlerReturningAfterItsLimit_IsTimedOutAndItsResultDropped()
    {
        var slow = Tool("x.slow", (_, _, _) =>
        {
            _time.Advance(Limit + TimeSpan.FromMilliseconds(1)); // as a handler that computes (or blocks) past its limit
            return ValueTask.FromResult<JsonNode?>(JsonValue.Create("late"));
        });
        var (sut, _) = CreateSut(tools: slow);
        var ex = await FailsWith(ScriptErrorCode.ToolExecutionFailed, Call(sut, "x.slow"));
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(sut.Calls).Result);
    }

    [Fact]
    public async Task Invoke_BlockingHandler_NeverBlocksTheCallersThread()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = Tool("x.block", (_, _, _) =>
        {
            started.Set();
            release.Wait(Generous); // what Thread.Sleep or synchronous I/O does
            return ValueTask.FromResult<JsonNode?>(JsonValue.Create(Environment.CurrentManagedThreadId));
        }, nonBlocking: false);
        var (sut, gate) = CreateSut(tools: blocking);
        try
        {
            ValueTask<ToolResult> call = default;
            using var returned = new ManualResetEventSlim();
            var caller = new Thread(() =>
            {
                call = sut.InvokeAsync("x.block", new JsonObject(), CancellationToken.None);
                returned.Set();
            });
            caller.Start();
            Assert.True(started.Wait(Generous), "the handler never started");
            Assert.True(returned.Wait(Generous), "InvokeAsync held the caller's thread while the handler blocked");
            Assert.False(call.IsCompleted);
            Assert.Equal(1, gate.Statistics.Threads);

            release.Set();
            var handlerThread = (await call.AsTask().WaitAsync(Generous)).Value!.GetValue<int>();
            Assert.NotEqual(caller.ManagedThreadId, handlerThread);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Invoke_NonBlockingTool_RunsInlineAndCompletesSynchronously()
    {
        var inline = Tool("x.inline", (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create(Environment.CurrentManagedThreadId)));
        var (sut, gate) = CreateSut(tools: inline);
        var call = sut.InvokeAsync("x.inline", new JsonObject(), CancellationToken.None);
        Assert.True(call.IsCompletedSuccessfully);
        var caller = Environment.CurrentManagedThreadId;
        Assert.Equal(caller, (await call).Value!.GetValue<int>());
        Assert.Equal(0, gate.Statistics.Threads);
    }

    [Fact]
    public async Task Invoke_ToolThreadsAreReused_AndABlockedOneIsNotWaitedFor()
    {
        using var release = new ManualResetEventSlim();
        var blocking = Tool("x.block", (_, _, _) =>
        {
            release.Wait(Generous);
            return ValueTask.FromResult<JsonNode?>(null);
        }, nonBlocking: false);
        var quick = Tool("x.quick2", (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create(1)), nonBlocking: false);
        var (sut, gate) = CreateSut(tools: [blocking, quick]);
        try
        {
            var stuck = Call(sut, "x.block");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(1, (await Call(sut, "x.quick2").WaitAsync(Generous))!.GetValue<int>());
            }

            Assert.False(stuck.IsCompleted);
            Assert.Equal(2, gate.Statistics.Threads); // one blocked, one reused for every quick call
            release.Set();
            await stuck.WaitAsync(Generous);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Invoke_AsyncHandlerStartedOnAToolThread_DeliversItsResultOrItsErrorWhenItCompletes()
    {
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var succeeds = Tool("x.succeeds", async (_, _, _) =>
        {
            await later.Task;
            return JsonValue.Create("done");
        }, nonBlocking: false);
        var fails = Tool("x.fails", async (_, _, _) =>
        {
            await later.Task;
            throw ToolException.Validation("no such thing");
        }, nonBlocking: false);
        var (sut, gate) = CreateSut(tools: [succeeds, fails]);
        var ok = Call(sut, "x.succeeds");
        var error = Call(sut, "x.fails");
        await Task.Delay(50); // let both reach their await on the tool threads
        Assert.False(ok.IsCompleted);
        Assert.False(error.IsCompleted);

        later.SetResult();
        Assert.Equal("done", (await ok.WaitAsync(Generous))!.GetValue<string>());
        await FailsWith(ScriptErrorCode.ToolValidationFailed, error);
        Assert.Equal(0, gate.InUse);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(5);
        }
    }
}
