using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline.Stages;

public sealed class RunStageTests
{
    private static readonly PipelineItem.Ready Item = new(3, ScriptRunHelper.Prepare("return 1;"));

    private static RunStage CreateSut(
        FakeScriptEngine engine,
        ScriptHarnessOptions? options = null,
        RunEvents? events = null,
        IApprovalService? approvals = null,
        ILogger? logger = null,
        CancellationTokenSource? run = null,
        CancellationTokenSource? deadline = null)
    {
        run ??= new CancellationTokenSource();
        deadline ??= new CancellationTokenSource();
        var scripts = CancellationTokenSource.CreateLinkedTokenSource(run.Token, deadline.Token);
        return new RunStage(StageServices.Create(options, engine, logger), events ?? RunEvents.None, approvals ?? FixedApprovalService.ApproveAll,
            null, run.Token, deadline.Token, scripts.Token);
    }

    [Fact]
    public async Task Run_EngineResult_OutcomeAtTheItemsIndexWithItsHashBetweenStartedAndCompletedEvents()
    {
        var channel = Channel.CreateUnbounded<HarnessEvent>();
        var engine = new FakeScriptEngine { Run = (_, _, _) => ValueTask.FromResult(EngineResult.Success(JsonValue.Create(42)) with { Duration = TimeSpan.FromMilliseconds(5) }) };

        var outcome = await CreateSut(engine, events: new RunEvents(channel.Writer, TimeProvider.System)).RunAsync(Item);

        Assert.Equal((3, ScriptStatus.Ok, 42, "0000"), (outcome.Index, outcome.Status, outcome.Value!.GetValue<int>(), outcome.Sha256));
        Assert.Equal(TimeSpan.FromMilliseconds(5), outcome.Duration);
        channel.Writer.Complete();
        var events = await channel.Reader.ReadAllAsync().ToListAsync();
        Assert.Collection(events,
            e => Assert.Equal((3, Item.Prepared.Context.ScriptId), (e.Index, Assert.IsType<ScriptStartedEvent>(e).ScriptId)),
            e => Assert.Same(outcome, Assert.IsType<ScriptCompletedEvent>(e).Outcome));
    }

    [Theory]
    [InlineData(63, ScriptStatus.Ok)]
    [InlineData(64, ScriptStatus.Error)]
    public async Task Run_EngineValueDeeperThanTheWireFormsCarry_IsSerializationFailed_AndEveryOutcomeCanBeWritten(int levels, ScriptStatus expected)
    {
        // An engine's value of 64 levels used to reach the serializers, which refused the whole item (the CLI ended
        // with an internal error and none of the reply's results).
        var engine = new FakeScriptEngine { Run = (_, _, _) => ValueTask.FromResult(EngineResult.Success(SampleItems.NestedArrays(levels)) with { Duration = TimeSpan.FromMilliseconds(5) }) };

        var outcome = await CreateSut(engine).RunAsync(Item);

        Assert.Equal(expected, outcome.Status);
        if (expected == ScriptStatus.Error)
        {
            Assert.Equal((ScriptErrorCode.SerializationFailed, null, TimeSpan.FromMilliseconds(5)), (outcome.Error?.Code, outcome.Value, outcome.Duration));
        }

        var item = new ScriptResultItem(outcome.Index, outcome);
        Assert.Contains("\"status\"", ResponseItemJson.ToJsonLine(item), StringComparison.Ordinal);
        Assert.IsType<ScriptResultItem>(ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item)));
    }

    [Fact]
    public async Task Run_ReplyTimeUpBeforeTheStart_ReplyLimitExceededWithoutASandboxOrEvents()
    {
        var channel = Channel.CreateUnbounded<HarnessEvent>();
        var engine = new FakeScriptEngine();
        using var deadline = new CancellationTokenSource();
        await deadline.CancelAsync();

        var outcome = await CreateSut(engine, new ScriptHarnessOptions { MaxReplyTime = TimeSpan.FromSeconds(2.5) },
            new RunEvents(channel.Writer, TimeProvider.System), deadline: deadline).RunAsync(Item);

        Assert.Equal((3, ScriptErrorCode.ReplyLimitExceeded, "0000"), (outcome.Index, outcome.Error!.Code, outcome.Sha256));
        Assert.Equal("the reply ran longer than its 2.5 s limit", outcome.Error.Message);
        Assert.Equal(0, engine.Created);
        Assert.False(channel.Reader.TryRead(out _), "a script that never started reports no start");
    }

    [Fact]
    public async Task Run_HostCancelledPastTheReplysDeadline_CancelledNotReplyLimit()
    {
        var engine = new FakeScriptEngine();
        using var run = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource();
        await deadline.CancelAsync();
        await run.CancelAsync();

        var outcome = await CreateSut(engine, run: run, deadline: deadline).RunAsync(Item);

        Assert.Equal((3, ScriptErrorCode.Cancelled, "the run was cancelled", "0000"), (outcome.Index, outcome.Error!.Code, outcome.Error.Message, outcome.Sha256));
        Assert.Equal(0, engine.Created);
    }

    [Fact]
    public async Task Run_ScriptFailsOnceTheReplysTimeIsUp_ReplyLimitExceeded()
    {
        using var deadline = new CancellationTokenSource();
        var engine = new FakeScriptEngine
        {
            Run = async (_, _, _) =>
            {
                await deadline.CancelAsync();
                return EngineResult.Failure(new ScriptError(ScriptErrorCode.Cancelled, "stopped"));
            },
        };

        var outcome = await CreateSut(engine, deadline: deadline).RunAsync(Item);

        Assert.Equal((ScriptStatus.Error, ScriptErrorCode.ReplyLimitExceeded, "0000"), (outcome.Status, outcome.Error!.Code, outcome.Sha256));
    }

    [Fact]
    public async Task Run_ScriptSucceedsAsTheReplysTimeRunsOut_KeepsItsValue()
    {
        using var deadline = new CancellationTokenSource();
        var engine = new FakeScriptEngine
        {
            Run = async (_, _, _) =>
            {
                await deadline.CancelAsync();
                return EngineResult.Success(JsonValue.Create("done"));
            },
        };

        var outcome = await CreateSut(engine, deadline: deadline).RunAsync(Item);

        Assert.Equal((ScriptStatus.Ok, "done"), (outcome.Status, outcome.Value!.GetValue<string>()));
        Assert.Null(outcome.Error);
    }

    [Fact]
    public async Task Run_EngineThrowsCancellationAtTheReplysDeadline_ReplyLimitExceeded()
    {
        using var deadline = new CancellationTokenSource();
        var engine = new FakeScriptEngine
        {
            Run = async (_, _, ct) =>
            {
                await deadline.CancelAsync();
                ct.ThrowIfCancellationRequested();
                return EngineResult.Success(null);
            },
        };

        var outcome = await CreateSut(engine, deadline: deadline).RunAsync(Item);

        Assert.Equal((3, ScriptErrorCode.ReplyLimitExceeded, "0000"), (outcome.Index, outcome.Error!.Code, outcome.Sha256));
    }

    [Fact]
    public async Task Run_EngineThrows_HarnessInternalNamingTheScriptAndLogged()
    {
        using var log = new RecordingLoggerProvider();
        var engine = new FakeScriptEngine { Run = (_, _, _) => throw new InvalidOperationException("engine bug") };

        var outcome = await CreateSut(engine, logger: log.CreateLogger("test")).RunAsync(Item);

        Assert.Equal((3, ScriptErrorCode.HarnessInternal, "internal error in the run stage", "0000"),
            (outcome.Index, outcome.Error!.Code, outcome.Error.Message, outcome.Sha256));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("run stage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ScriptsOfOneReply_ShareTheReplysToolBudget()
    {
        var engine = new FakeScriptEngine
        {
            Run = async (_, tools, ct) =>
            {
                var result = await tools.InvokeAsync("t.echo", new JsonObject(), ct);
                return EngineResult.Success(JsonValue.Create(result.IsSuccess ? "ok" : result.Error.Code.ToString()));
            },
        };
        var sut = CreateSut(engine, new ScriptHarnessOptions { MaxToolCallsPerReply = 1 });

        var first = await sut.RunAsync(Item);
        var second = await sut.RunAsync(Item);

        Assert.Equal("ok", first.Value!.GetValue<string>());
        Assert.Equal(nameof(ScriptErrorCode.ToolBudgetExceeded), second.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_CallNeedingApproval_AskedOfTheRunsApproverNotTheHarnesss()
    {
        var approver = new RecordingApprovalService();
        var engine = new FakeScriptEngine
        {
            Run = async (_, tools, ct) =>
            {
                var result = await tools.InvokeAsync("t.guarded", new JsonObject(), ct);
                return EngineResult.Success(JsonValue.Create(result.IsSuccess ? "ok" : result.Error.Code.ToString()));
            },
        };

        var outcome = await CreateSut(engine, approvals: approver).RunAsync(Item);

        Assert.Equal(nameof(ScriptErrorCode.ApprovalDenied), outcome.Value!.GetValue<string>());
        Assert.Equal("t.guarded", Assert.Single(approver.Requests).Tool);
    }
}
