using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Context;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The run loop of the kit (<see cref="ScriptRun{TCompletion}"/>) on a scripted fake engine: what every engine gets from
/// it without writing it — the script's report as a result, calls settled on the engine's thread, the deadline, the
/// grace period, cancellation, and every exception turned into a result — and the order of the adapter's hooks.
/// </summary>
public sealed partial class ScriptRunTests
{
    private static readonly ScriptLimits Limits = ScriptLimits.Default with
    {
        Timeout = TimeSpan.FromSeconds(5),
        GracePeriod = TimeSpan.FromSeconds(10),
    };

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeBridge _bridge = new();

    [Fact]
    public void AReturnedValue_IsTheResult_WithTheDurationOfTheRunsClock()
    {
        using var run = Run(r =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1234));
            r.DoReport(ScriptReport.Returned("""{"a":[1,2]}"""));
        });

        var result = run.Execute();

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("""{"a":[1,2]}""", result.Value!.ToJsonString());
        Assert.Equal(TimeSpan.FromMilliseconds(1234), result.Duration);
        Assert.Equal(["start", "continuations", "after", "ended", "conclude"], run.Hooks);
    }

    [Fact]
    public void OnlyTheFirstReport_Counts()
    {
        using var run = Run(r =>
        {
            Assert.False(r.Reported);
            r.DoReport(ScriptReport.Returned("1"));
            Assert.True(r.Reported);
            r.DoReport(ScriptReport.Returned("2"));
            r.DoReport(ScriptReport.Threw("timeout", "late", null));
        });

        var result = run.Execute();

        Assert.Equal("1", result.Value!.ToJsonString());
    }

    [Fact]
    public void AReturnedValueOverTheLimits_IsRefusedLikeAnyReturnValue()
    {
        using var run = Run(r => r.DoReport(ScriptReport.Returned("\"" + new string('x', 200) + "\"")), Limits with { MaxReturnValueBytes = 100 });

        var result = run.Execute();

        Assert.False(result.IsSuccess);
        Assert.Equal(ScriptErrorCode.ReturnValueTooLarge, result.Error.Code);
    }

    [Theory]
    [InlineData("tool_not_found", ScriptErrorCode.ToolNotFound)]
    [InlineData("memory_limit", ScriptErrorCode.MemoryLimit)]
    [InlineData("not_a_code", ScriptErrorCode.RuntimeError)]
    [InlineData("", ScriptErrorCode.RuntimeError)]
    [InlineData(null, ScriptErrorCode.RuntimeError)]
    public void AThrownError_KeepsAKnownCode_AndIsARuntimeErrorOtherwise(string? code, ScriptErrorCode expected)
    {
        using var run = Run(r => r.DoReport(ScriptReport.Threw(code, "it broke", null)));

        var result = run.Execute();

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Error.Code);
        Assert.Equal("it broke", result.Error.Message);
        Assert.Null(result.Error.Stack);
        Assert.Null(result.Error.Line);
    }

    [Fact]
    public void AThrownError_WithoutAMessage_SaysError_AndALongOneIsCut()
    {
        using var silent = Run(r => r.DoReport(ScriptReport.Threw(null, null, null)));
        Assert.Equal("error", silent.Execute().Error!.Message);

        using var loud = Run(r => r.DoReport(ScriptReport.Threw(null, new string('m', EngineErrors.MaxMessageLength + 50), null)));
        Assert.Equal(new string('m', EngineErrors.MaxMessageLength) + "…", loud.Execute().Error!.Message);
    }

    [Fact]
    public void AThrownError_CarriesItsStack_InTheScriptsOwnLines()
    {
        // The frame's position is in the wrapped script; the result gives it in the script's lines, as CleanStack does.
        var wrapped = ScriptSource.Wrap("thrower();").Split('\n');
        var line = Array.FindIndex(wrapped, l => l.Contains("thrower();", StringComparison.Ordinal)) + 1;
        var column = wrapped[line - 1].IndexOf("thrower();", StringComparison.Ordinal) + 1;
        var raw = $"Error: it broke\n    at thrower ({ScriptSource.SourceName}:{line}:{column})";
        using var run = Run(r => r.DoReport(ScriptReport.Threw("runtime_error", "it broke", raw)));

        var error = run.Execute().Error!;

        var (stack, cleanLine, cleanColumn) = ScriptSource.CleanStack(raw);
        Assert.NotNull(stack);
        Assert.Equal(stack, error.Stack);
        Assert.Equal(1, error.Line);
        Assert.Equal(cleanLine, error.Line);
        Assert.Equal(cleanColumn, error.Column);
    }

    [Fact]
    public void AnErrorTheEngineKnowsAsALimit_IsThatLimit()
    {
        using var run = Run(r => r.DoReport(ScriptReport.Threw(null, "RangeError: Maximum call stack size exceeded", null)));
        run.Limit = EngineErrors.CallDepth(Limits);

        var result = run.Execute();

        Assert.Equal(ScriptErrorCode.RecursionLimit, result.Error!.Code);
        Assert.Same(run.Limit, result.Error);
    }

    [Fact]
    public void AValueIsNeverAskedAboutLimits()
    {
        using var run = Run(r => r.DoReport(ScriptReport.Returned("3")));
        run.Limit = EngineErrors.CallDepth(Limits);

        Assert.True(run.Execute().IsSuccess);
    }

    [Fact]
    public void AnExceptionFromTheEngine_BecomesItsError_AndTheRunStillEnds()
    {
        var thrown = new InvalidOperationException("engine fault");
        using var run = Run(_ => throw thrown);

        var result = run.Execute();

        Assert.Same(thrown, run.Failed);
        Assert.Equal(ScriptErrorCode.HarnessInternal, result.Error!.Code);
        Assert.Equal(["start", "fail", "ended", "conclude"], run.Hooks);
        Assert.True(run.CallsCancelled);
    }

    [Fact]
    public void ACancelledHost_NeverStartsTheScript()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var run = Run(_ => Assert.Fail("started"), token: cts.Token);

        var result = run.Execute();

        Assert.IsType<OperationCanceledException>(run.Failed);
        Assert.Equal(ScriptErrorCode.Cancelled, result.Error!.Code);
        Assert.Equal(["fail", "ended", "conclude"], run.Hooks);
    }

    [Fact]
    public void CancelledWhileItRan_ItEndsCancelled_WhateverItReturned()
    {
        using var cts = new CancellationTokenSource();
        using var run = Run(r =>
        {
            cts.Cancel();
            r.DoReport(ScriptReport.Returned("1"));
        }, token: cts.Token);

        var result = run.Execute();

        Assert.Equal(ScriptErrorCode.Cancelled, result.Error!.Code);
        Assert.DoesNotContain("after", run.Hooks);
    }

    [Fact]
    public void ANeverReportingScript_WithNoCallPending_CanNeverSettle()
    {
        using var run = Run(_ => { });

        var result = run.Execute();

        Assert.Equal(EngineErrors.NeverSettles(), result.Error);
        Assert.Equal(["start", "continuations", "after", "ended", "conclude"], run.Hooks);
    }

    [Fact]
    public void ACallThatCompletesAtOnce_IsHandedBackInPlace_WithoutACompletion()
    {
        _bridge.Next = _ => new ValueTask<ToolResult>(ToolResult.Success(JsonValue.Create(7)));
        ToolResult? inPlace = null;
        using var run = Run(r =>
        {
            inPlace = r.Call("t.now", 1);
            r.DoReport(ScriptReport.Returned("0"));
        });

        Assert.True(run.Execute().IsSuccess);

        Assert.Equal(7, inPlace!.Value.Value!.GetValue<int>());
        Assert.Empty(run.Settled);
        Assert.Equal(["t.now"], _bridge.Called);
    }

    [Fact]
    public void ABridgeThatThrows_GivesTheScriptATypedError_NotTheException()
    {
        _bridge.Next = _ => throw new InvalidOperationException("defect");
        ToolResult? inPlace = null;
        using var run = Run(r =>
        {
            inPlace = r.Call("t.x", 1);
            r.DoReport(ScriptReport.Returned("0"));
        });

        Assert.True(run.Execute().IsSuccess);

        Assert.False(inPlace!.Value.IsSuccess);
        Assert.Equal(ScriptErrorCode.HarnessInternal, inPlace.Value.Error!.Code);
    }

    [Fact]
    public void ACallThatCompletesLater_IsSettledOnTheRunsThread_WithItsState()
    {
        var pending = new TaskCompletionSource<ToolResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bridge.Next = _ => new ValueTask<ToolResult>(pending.Task);
        var runThread = 0;
        using var run = Run(r =>
        {
            runThread = Environment.CurrentManagedThreadId;
            Assert.Null(r.Call("t.slow", 41));
            _ = Task.Run(() => pending.SetResult(ToolResult.Success(JsonValue.Create("done"))));
        });
        run.OnSettle = (r, c) =>
        {
            Assert.Equal(runThread, Environment.CurrentManagedThreadId);
            r.DoReport(ScriptReport.Returned(c.Result.Value!.ToJsonString()));
        };

        var result = run.Execute();

        Assert.Equal("\"done\"", result.Value!.ToJsonString());
        var settled = Assert.Single(run.Settled);
        Assert.Equal(41, settled.State);
        Assert.Equal(["start", "continuations", "settle", "continuations", "after", "ended", "conclude"], run.Hooks);
    }

    [Fact]
    public void CallsChained_OneAfterAnother_AreEachSettledBeforeTheReport()
    {
        // Each call completes only after Call has returned (a task that could finish first, on a loaded machine, would be
        // taken in place, and Call would not return null).
        TaskCompletionSource<ToolResult>? pending = null;
        _bridge.Next = _ => new ValueTask<ToolResult>((pending = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task);
        void CallNext(FakeRun r, int step)
        {
            Assert.Null(r.Call("t.step", step));
            var call = pending!;
            _ = Task.Run(() => call.SetResult(ToolResult.Success(JsonValue.Create(step))));
        }

        using var run = Run(r => CallNext(r, 1));
        run.OnSettle = (r, c) =>
        {
            if (c.State < 3)
            {
                CallNext(r, c.State + 1);
            }
            else
            {
                r.DoReport(ScriptReport.Returned(c.Result.Value!.ToJsonString()));
            }
        };

        var result = run.Execute();

        Assert.Equal("3", result.Value!.ToJsonString());
        Assert.Equal([1, 2, 3], run.Settled.Select(s => s.State));
    }

    [Fact]
    public void ACallThatFailsLater_IsSettledAsATypedFailure()
    {
        var pending = new TaskCompletionSource<ToolResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bridge.Next = _ => new ValueTask<ToolResult>(pending.Task);
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.slow", 1));
            _ = Task.Run(() => pending.SetException(new TimeoutException("late")));
        });
        run.OnSettle = (r, c) => r.DoReport(ScriptReport.Threw(c.Result.Error!.WireCode, c.Result.Error.Message, null));

        var result = run.Execute();

        Assert.Equal(ScriptErrorCode.HarnessInternal, result.Error!.Code);
        Assert.Equal("internal error while calling the tool", result.Error.Message);
    }

    [Fact]
    public void APendingCall_PastTheDeadline_EndsTheRunAtTheTimeLimit()
    {
        _bridge.Next = ct => new ValueTask<ToolResult>(Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => ToolResult.Success(null), TaskScheduler.Default));
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.hang", 1));
            _clock.Advance(TimeSpan.FromSeconds(6));
        }, Limits with { GracePeriod = TimeSpan.Zero });

        var result = run.Execute();

        Assert.Equal(EngineErrors.Timeout(Limits), result.Error);
        Assert.Equal(TimeSpan.FromSeconds(6), result.Duration);
        Assert.True(run.CallsCancelled);
        Assert.True(_bridge.Tokens.Single().IsCancellationRequested);
    }

    [Fact]
    public void TimeTheBridgeSpentPaused_MovesTheDeadline()
    {
        // Six seconds went by, five of them waiting for an approval: one second of the five is used.
        _bridge.Paused = TimeSpan.FromSeconds(5);
        var pending = new TaskCompletionSource<ToolResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bridge.Next = _ => new ValueTask<ToolResult>(pending.Task);
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.approve", 1));
            _clock.Advance(TimeSpan.FromSeconds(6));
            _ = Task.Run(async () =>
            {
                await Task.Delay(20);
                pending.SetResult(ToolResult.Success(null));
            });
        });
        run.OnSettle = (r, _) => r.DoReport(ScriptReport.Returned("\"in time\""));

        Assert.Equal("\"in time\"", run.Execute().Value!.ToJsonString());
    }

    [Fact]
    public void AHostCancelWhileTheRunWaits_EndsItCancelled()
    {
        using var cts = new CancellationTokenSource();
        _bridge.Next = ct => new ValueTask<ToolResult>(Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => ToolResult.Success(null), TaskScheduler.Default));
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.hang", 1));
            cts.CancelAfter(50);
        }, token: cts.Token);

        var result = run.Execute();

        Assert.Equal(ScriptErrorCode.Cancelled, result.Error!.Code);
        Assert.IsAssignableFrom<OperationCanceledException>(run.Failed);
    }

    [Fact]
    public void AnUnawaitedCall_FinishesInTheGracePeriod_BeforeTheRunLooksAtItsResult()
    {
        var pending = new TaskCompletionSource<ToolResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bridge.Next = _ => new ValueTask<ToolResult>(pending.Task);
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.log", 9));
            r.DoReport(ScriptReport.Returned("1"));
            _ = Task.Run(async () =>
            {
                await Task.Delay(30);
                pending.SetResult(ToolResult.Success(null));
            });
        });

        Assert.True(run.Execute().IsSuccess);

        Assert.Equal(9, Assert.Single(run.Settled).State);
        Assert.Equal(["start", "continuations", "settle", "continuations", "after", "ended", "conclude"], run.Hooks);
    }

    [Fact]
    public void AnUnawaitedCall_StillRunningAfterTheGracePeriod_IsCancelled_AndNeverSettled()
    {
        _bridge.Next = ct => new ValueTask<ToolResult>(Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => ToolResult.Success(null), TaskScheduler.Default));
        using var run = Run(r =>
        {
            Assert.Null(r.Call("t.hang", 1));
            r.DoReport(ScriptReport.Returned("1"));
        }, Limits with { GracePeriod = TimeSpan.FromMilliseconds(30) });

        Assert.True(run.Execute().IsSuccess);

        Assert.True(_bridge.Tokens.Single().IsCancellationRequested);
        Assert.Empty(run.Settled); // settling happens only on the run's thread, inside Execute: never after it
    }

    [Fact]
    public void TheAdaptersLastWord_IsTheResult_WithTheRunsDuration()
    {
        using var run = Run(r =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(5));
            r.DoReport(ScriptReport.Returned("1"));
        });
        var refused = EngineResult.Failure(new ScriptError(ScriptErrorCode.ToolBudgetExceeded, "refused"));
        run.Concluded = _ => refused;
        run.After = outcome => outcome with { RetireRuntime = true };

        var result = run.Execute();

        Assert.Same(refused.Error, result.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(5), result.Duration);
        Assert.True(run.ConcludedFrom!.RetireRuntime);
    }

    [Fact]
    public void TheRun_ShowsItsAdapterWhatItRuns()
    {
        using var cts = new CancellationTokenSource();
        var limits = Limits with { MaxToolCalls = 17 };
        var script = ScriptRunHelper.Prepare("return 1;", limits);
        using var run = new FakeRun(script, _bridge, cts.Token, _clock, r => r.DoReport(ScriptReport.Returned("1")));

        Assert.Same(script, run.TheScript);
        Assert.Same(_bridge, run.TheTools);
        Assert.Equal(17, run.TheLimits.MaxToolCalls);
        Assert.Equal(cts.Token, run.TheHostToken);
        Assert.Same(_clock, run.Deadline.Time);
        Assert.False(run.CallsCancelled);
        cts.Cancel();
        Assert.True(run.CallsCancelled); // the calls' token follows the host's
    }

    [Fact]
    public void Dispose_ReleasesTheCallsToken()
    {
        var run = Run(r => r.DoReport(ScriptReport.Returned("1")));
        run.Execute();

        run.Dispose();

        Assert.Throws<ObjectDisposedException>(() => run.CallsCancelled);
    }

    [Fact]
    public void TheRun_ChecksItsArguments()
    {
        var script = ScriptRunHelper.Prepare("return 1;");
        Assert.Throws<ArgumentNullException>(() => new FakeRun(null!, _bridge, default, null, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new FakeRun(script, null!, default, null, _ => { }));

        using var run = new FakeRun(script, _bridge, default, null, _ => { });
        Assert.Same(TimeProvider.System, run.Deadline.Time);
        Assert.Throws<ArgumentNullException>(() => run.CallWithoutCompletion());
    }

    private FakeRun Run(Action<FakeRun> start, ScriptLimits? limits = null, CancellationToken token = default) =>
        new(ScriptRunHelper.Prepare("return 1;", limits ?? Limits), _bridge, token, _clock, start);

    internal readonly record struct Completion(int State, ToolResult Result);

    /// <summary>An engine whose script is a delegate: it records the hooks the loop calls, in order.</summary>
    private sealed class FakeRun(PreparedScript script, IToolBridge tools, CancellationToken token, TimeProvider? time, Action<FakeRun> start)
        : ScriptRun<Completion>(script, tools, token, time)
    {
        public List<string> Hooks { get; } = [];

        public List<Completion> Settled { get; } = [];

        public Action<FakeRun, Completion>? OnSettle { get; set; }

        public Action? OnAfterReport { get; set; }

        public Func<EngineResult, EngineResult>? After { get; set; }

        public Func<EngineResult, EngineResult>? Concluded { get; set; }

        public EngineResult? ConcludedFrom { get; private set; }

        public ScriptError? Limit { get; set; }

        public Exception? Failed { get; private set; }

        public bool Reported => HasReported;

        public bool CallsCancelled => CallsToken.IsCancellationRequested;

        public PreparedScript TheScript => Script;

        public IToolBridge TheTools => Tools;

        public ScriptLimits TheLimits => Limits;

        public CancellationToken TheHostToken => HostToken;

        public void DoReport(ScriptReport report)
        {
            Report(report);
            OnAfterReport?.Invoke();
        }

        public ToolResult? Call(string name, int state) =>
            StartCall(name, new JsonObject { ["i"] = state }, state, static (s, result) => new Completion(s, result));

        public ToolResult? CallWithoutCompletion() => StartCall<int>("t.x", null, 0, null!);

        protected override void Start()
        {
            Hooks.Add("start");
            start(this);
        }

        protected override void Settle(Completion completion)
        {
            Hooks.Add("settle");
            Settled.Add(completion);
            OnSettle?.Invoke(this, completion);
        }

        protected override void RunContinuations()
        {
            // Once per drain: collapse repeats so the order of the other hooks reads plainly.
            if (Hooks.Count == 0 || Hooks[^1] != "continuations")
            {
                Hooks.Add("continuations");
            }
        }

        protected override ScriptError Fail(Exception exception)
        {
            Hooks.Add("fail");
            Failed = exception;
            return exception is OperationCanceledException ? EngineErrors.Cancelled() : EngineErrors.Internal("fake");
        }

        protected override EngineResult AfterRun(EngineResult outcome)
        {
            Hooks.Add("after");
            return After?.Invoke(outcome) ?? outcome;
        }

        protected override void OnEnded() => Hooks.Add("ended");

        protected override EngineResult Conclude(EngineResult outcome)
        {
            Hooks.Add("conclude");
            ConcludedFrom = outcome;
            return Concluded?.Invoke(outcome) ?? outcome;
        }

        protected override ScriptError? LimitOf(ScriptReport report) => Limit;
    }

    /// <summary>A tool bridge whose next call is a delegate of the call's token; it records names and tokens.</summary>
    private sealed class FakeBridge : IToolBridge
    {
        public Func<CancellationToken, ValueTask<ToolResult>> Next { get; set; } = _ => new ValueTask<ToolResult>(ToolResult.Success(null));

        public List<string> Called { get; } = [];

        public List<CancellationToken> Tokens { get; } = [];

        public TimeSpan Paused { get; set; }

        public IReadOnlyCollection<string> ToolNames => [];

        public TimeSpan PausedTime => Paused;

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
        {
            Called.Add(tool);
            Tokens.Add(cancellationToken);
            return Next(cancellationToken);
        }

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
