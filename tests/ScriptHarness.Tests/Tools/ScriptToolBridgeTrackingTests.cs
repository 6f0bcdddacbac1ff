using System.Text.Json.Nodes;
using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Resume;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>What the facade records of each call: its id and status, the events a host sees, the replay log, the budgets.</summary>
public sealed class ScriptToolBridgeTrackingTests
{
    private readonly Channel<HarnessEvent> _events = Channel.CreateUnbounded<HarnessEvent>();
    private readonly ScriptContext _context = ScriptRunHelper.Prepare("").Context;

    private static ToolDefinition Echo(string name = "x.run") =>
        new(name, "", new JsonObject { ["type"] = "object" }, (args, _, _) => ValueTask.FromResult(args?.DeepClone()));

    private static ToolDefinition Hang(string name = "x.hang") =>
        new(name, "", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });

    private static ToolDefinition Guarded(string name = "x.write") => Echo(name) with { RequiresApproval = true };

    private ScriptToolBridge Create(ToolDefinition[] tools, ScriptContext? context = null, ToolServices? services = null, bool events = true,
        CancellationToken runToken = default, ReplyToolBudget? replyBudget = null, ToolNesting? outerCalls = null, ReplayLog? replay = null) =>
        new(new ToolRegistry(tools), context ?? _context, services ?? ScriptRunHelper.Services(),
            events ? new RunEvents(_events.Writer, TimeProvider.System).For(3) : null, runToken, replyBudget, outerCalls, replay);

    private List<HarnessEvent> Events()
    {
        var seen = new List<HarnessEvent>();
        while (_events.Reader.TryRead(out var e))
        {
            seen.Add(e);
        }

        return seen;
    }

    [Fact]
    public async Task Call_IsNumberedAfterTheScript_AndStartedAndCompletedAsEvents()
    {
        using var sut = Create([Echo()]);

        await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);
        await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        Assert.Equal([$"{_context.ScriptId}#1", $"{_context.ScriptId}#2"], sut.Calls.Select(c => c.CallId));
        Assert.All(sut.Calls, c => Assert.Equal(ToolCallStatus.Succeeded, c.Status));
        var events = Events();
        Assert.Equal(4, events.Count);
        var started = Assert.IsType<ToolCallStartedEvent>(events[0]);
        Assert.Equal((3, $"{_context.ScriptId}#1", "x.run"), (started.Index, started.CallId, started.Tool));
        var completed = Assert.IsType<ToolCallCompletedEvent>(events[1]);
        Assert.Equal(($"{_context.ScriptId}#1", "x.run", ToolCallStatus.Succeeded, (ScriptError?)null), (completed.CallId, completed.Tool, completed.Status, completed.Error));
        Assert.True(completed.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public async Task NoListener_CallsAreStillTracked()
    {
        using var sut = Create([Echo()], events: false);
        await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);
        Assert.Equal(ToolCallStatus.Succeeded, Assert.Single(sut.Calls).Status);
        Assert.Empty(Events());
    }

    [Fact]
    public async Task DryRun_TrackedAsDryRun_AndTheMarkerNamesTheToolAndCall()
    {
        var context = ScriptRunHelper.Prepare("", mode: ToolMode.DryRun).Context;
        using var sut = Create([Echo()], context);

        var result = await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        Assert.Equal($$"""{"dryRun":true,"tool":"x.run","callId":"{{context.ScriptId}}#1"}""", result.Value!.ToJsonString());
        Assert.Equal(ToolCallStatus.DryRun, Assert.Single(sut.Calls).Status);
        Assert.Equal(ToolCallStatus.DryRun, Assert.IsType<ToolCallCompletedEvent>(Events()[1]).Status);
    }

    [Fact]
    public async Task ScriptBudget_MessageNamesTheBudget()
    {
        var context = ScriptRunHelper.Prepare("", ScriptLimits.Default with { MaxToolCalls = 1 }).Context;
        using var sut = Create([Echo()], context);
        await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        var refused = await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.ToolBudgetExceeded, refused.Error?.Code);
        Assert.Equal("tool call budget exceeded: at most 1 tool calls per script", refused.Error?.Message);
        Assert.Single(sut.Calls);
    }

    [Fact]
    public async Task ReplyBudget_RefusesPastIt_AndRefusedCallsAreNotAccepted()
    {
        using var sut = Create([Echo()], replyBudget: new ReplyToolBudget(2));

        var results = new List<ToolResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None));
        }

        Assert.Equal([true, true, false, false], results.Select(r => r.IsSuccess));
        Assert.Equal(ScriptErrorCode.ToolBudgetExceeded, results[2].Error?.Code);
        Assert.Equal("tool call budget exceeded: at most 2 tool calls per reply, across all its scripts", results[2].Error?.Message);
        Assert.Equal(2, sut.AcceptedCalls);
        Assert.Equal(2, sut.Calls.Count);
    }

    [Fact]
    public async Task CancelledByTheCaller_WhileTheRunGoesOn_IsDetached_AndSaysWhichCall()
    {
        using var sut = Create([Hang()]);
        using var cts = new CancellationTokenSource(50);

        var result = await sut.InvokeAsync("x.hang", new JsonObject(), cts.Token);

        Assert.Equal(ScriptErrorCode.Cancelled, result.Error?.Code);
        Assert.Equal(ToolCallStatus.Detached, Assert.Single(sut.Calls).Status);
        Assert.Equal(ToolCallStatus.Detached, Assert.IsType<ToolCallCompletedEvent>(Events()[1]).Status);
    }

    [Fact]
    public async Task CancelledWithTheRun_IsCancelled()
    {
        using var run = new CancellationTokenSource();
        using var sut = Create([Hang()], runToken: run.Token);
        var call = sut.InvokeAsync("x.hang", new JsonObject(), run.Token).AsTask();

        await run.CancelAsync();
        var result = await call;

        Assert.Equal(ScriptErrorCode.Cancelled, result.Error?.Code);
        Assert.Equal(ToolCallStatus.Cancelled, Assert.Single(sut.Calls).Status);
    }

    [Fact]
    public async Task HandlerCancelledOnItsOwn_IsAToolFailure_NotACancellation()
    {
        // Nobody cancelled the call: a handler that throws OperationCanceledException on its own failed.
        var tool = new ToolDefinition("x.quit", "", new JsonObject { ["type"] = "object" }, (_, _, _) => throw new OperationCanceledException());
        using var sut = Create([tool]);

        var result = await sut.InvokeAsync("x.quit", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, result.Error?.Code);
        Assert.Equal(ToolCallStatus.Failed, Assert.Single(sut.Calls).Status);
    }

    [Fact]
    public async Task TypedCancellationFromTheHandler_IsDetachedNotFailed()
    {
        var tool = new ToolDefinition("x.quit", "", new JsonObject { ["type"] = "object" },
            (_, _, _) => throw new ToolException(ScriptErrorCode.Cancelled, "gave up"));
        using var sut = Create([tool]);

        var result = await sut.InvokeAsync("x.quit", new JsonObject(), CancellationToken.None);

        Assert.Equal("gave up", result.Error?.Message);
        Assert.Equal(ToolCallStatus.Detached, Assert.Single(sut.Calls).Status);
    }

    [Fact]
    public async Task BrokenPolicy_FailsTheCallWithoutHostDetails()
    {
        var services = ScriptRunHelper.Services() with { Policy = (_, _) => throw new InvalidOperationException("secret host detail") };
        using var sut = Create([Echo()], services: services);

        var result = await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.HarnessInternal, result.Error?.Code);
        Assert.Equal("the approval policy failed for x.run", result.Error?.Message);
        Assert.Equal(ToolCallStatus.Failed, Assert.Single(sut.Calls).Status);
    }

    [Fact]
    public async Task Approval_RequestedAndResolvedAsEvents_WithTheReason()
    {
        using var sut = Create([Guarded()], services: ScriptRunHelper.Services(FixedApprovalService.DenyAllWith("not today")));

        var result = await sut.InvokeAsync("x.write", new JsonObject { ["a"] = 1 }, CancellationToken.None);

        Assert.Equal("the call to x.write was not approved: not today", result.Error?.Message);
        var events = Events();
        var requested = Assert.IsType<ApprovalRequestedEvent>(events[1]);
        Assert.Equal(($"{_context.ScriptId}#1", "x.write", _context.ScriptId), (requested.Request.RequestId, requested.Request.Tool, requested.Request.ScriptId));
        var resolved = Assert.IsType<ApprovalResolvedEvent>(events[2]);
        Assert.Equal(($"{_context.ScriptId}#1", false, "not today"), (resolved.RequestId, resolved.Approved, resolved.Reason));
        Assert.Equal(ToolCallStatus.Failed, Assert.IsType<ToolCallCompletedEvent>(events[3]).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task Approval_DeniedWithoutAReason_SaysSoPlainly(string? reason)
    {
        using var sut = Create([Guarded()], services: ScriptRunHelper.Services(new Deciding(ApprovalDecision.Deny(reason))));
        var result = await sut.InvokeAsync("x.write", new JsonObject(), CancellationToken.None);
        Assert.Equal("the call to x.write was not approved", result.Error?.Message);
    }

    [Fact]
    public async Task Approval_Approved_ResolvedAsApprovedAndTheHandlerRuns()
    {
        using var sut = Create([Guarded()]);
        var result = await sut.InvokeAsync("x.write", new JsonObject { ["a"] = 1 }, CancellationToken.None);
        Assert.Equal("""{"a":1}""", result.Value?.ToJsonString());
        Assert.True(Assert.IsType<ApprovalResolvedEvent>(Events()[2]).Approved);
    }

    [Fact]
    public async Task Approval_ServiceThrowsTyped_ResolvedAsRefusedWithTheCode()
    {
        using var sut = Create([Guarded()], services: ScriptRunHelper.Services(new ThrowingApprovals(new ToolException(ScriptErrorCode.ApprovalUnavailable, "nobody"))));

        var result = await sut.InvokeAsync("x.write", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.ApprovalUnavailable, result.Error?.Code);
        var resolved = Assert.IsType<ApprovalResolvedEvent>(Events()[2]);
        Assert.Equal((false, "approval_unavailable"), (resolved.Approved, resolved.Reason));
    }

    [Fact]
    public async Task Approval_ServiceWithdrawn_ResolvedAsWithdrawn()
    {
        using var sut = Create([Guarded()], services: ScriptRunHelper.Services(new ThrowingApprovals(new OperationCanceledException())));

        var result = await sut.InvokeAsync("x.write", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.Cancelled, result.Error?.Code);
        Assert.Equal("the call to x.write was cancelled", result.Error?.Message);
        Assert.Equal(ToolCallStatus.Detached, Assert.Single(sut.Calls).Status);
        var resolved = Assert.IsType<ApprovalResolvedEvent>(Events()[2]);
        Assert.Equal((false, "withdrawn"), (resolved.Approved, resolved.Reason));
    }

    [Fact]
    public async Task UnknownTool_WithoutAnythingClose_HasNoHint()
    {
        using var sut = Create([Echo()]);
        var result = await sut.InvokeAsync("zzz.qqq", null, CancellationToken.None);
        Assert.Equal("tool 'zzz.qqq' does not exist", result.Error?.Message);
        Assert.Empty(sut.Calls);
    }

    [Fact]
    public async Task UnknownTool_NearAName_SuggestsIt()
    {
        using var sut = Create([Echo()]);
        var result = await sut.InvokeAsync("x.rnu", null, CancellationToken.None);
        Assert.Equal("tool 'x.rnu' does not exist; did you mean x.run?", result.Error?.Message);
    }

    [Fact]
    public void ToolNames_WithoutReplay_AreTheRegistry_WithReplay_AddTheClockOnce()
    {
        using var plain = Create([Echo()]);
        using var replayed = Create([Echo()], replay: ReplayLog.First(TimeProvider.System));

        Assert.Equal(["x.run"], plain.ToolNames);
        Assert.Equal(["x.run", "$replay.clock"], replayed.ToolNames);
        Assert.Same(replayed.ToolNames, replayed.ToolNames);
    }

    [Fact]
    public async Task Replay_LogsResultsAndFailures_NotCancellations()
    {
        var replay = ReplayLog.First(TimeProvider.System);
        var strict = new ToolDefinition("x.strict", "", JsonNode.Parse("""{"type":"object","required":["n"]}""")!.AsObject(), (a, _, _) => ValueTask.FromResult(a?.DeepClone()));
        using var sut = Create([Echo(), strict, Hang()], replay: replay);
        using var cts = new CancellationTokenSource(50);

        await sut.InvokeAsync("x.run", null, CancellationToken.None);
        await sut.InvokeAsync("x.strict", new JsonObject(), CancellationToken.None);
        await sut.InvokeAsync("x.hang", new JsonObject(), cts.Token);

        Assert.Collection(replay.Calls,
            c => Assert.Equal((1, "x.run", "{}", (ScriptErrorCode?)null), (c.Position, c.Tool, c.Result?.ToJsonString(), c.Error?.Code)),
            c => Assert.Equal((2, "x.strict", (string?)null, (ScriptErrorCode?)ScriptErrorCode.ToolValidationFailed), (c.Position, c.Tool, c.Result?.ToJsonString(), c.Error?.Code)));
        Assert.Equal(ReplayLog.Hash(new JsonObject()), replay.Calls[0].Hash);
    }

    [Fact]
    public async Task Replay_ACallNeedingApproval_SuspendsTheBlock()
    {
        var replay = ReplayLog.First(TimeProvider.System);
        using var sut = Create([Echo(), Guarded()], replay: replay);
        await sut.InvokeAsync("x.run", new JsonObject(), CancellationToken.None);

        var result = await sut.InvokeAsync("x.write", new JsonObject { ["a"] = 1 }, CancellationToken.None);

        Assert.Equal(ScriptErrorCode.ApprovalDenied, result.Error?.Code);
        Assert.Equal("the call to x.write waits for approval; this block is suspended", result.Error?.Message);
        var pending = replay.Suspended;
        Assert.NotNull(pending);
        Assert.Equal((2, $"{_context.ScriptId}#2", "x.write", """{"a":1}"""), (pending.Position, pending.CallId, pending.Tool, pending.Arguments?.ToJsonString()));
        Assert.Equal(ReplayLog.Hash(new JsonObject { ["a"] = 1 }), pending.Hash);
        Assert.Equal(ToolCallStatus.Suspended, sut.Calls[1].Status);
        Assert.Null(sut.Calls[1].Error);
        Assert.Single(replay.Calls);
        Assert.Contains(Events(), e => e is ApprovalRequestedEvent);
    }

    [Fact]
    public async Task Replay_InANestedReply_ApprovalIsUnavailable()
    {
        var services = ScriptRunHelper.Services();
        using var sut = Create([Guarded()], replay: ReplayLog.First(TimeProvider.System), outerCalls: new ToolNesting(null, services.Gate, 1), services: services);

        var result = await sut.InvokeAsync("x.write", new JsonObject(), CancellationToken.None);

        Assert.Equal(ScriptErrorCode.ApprovalUnavailable, result.Error?.Code);
        Assert.Equal("the call to x.write needs approval, which a reply run inside a tool call cannot wait for with durable approvals", result.Error?.Message);
    }

    private sealed class Deciding(ApprovalDecision decision) : IApprovalService
    {
        public ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(decision);
    }

    private sealed class ThrowingApprovals(Exception exception) : IApprovalService
    {
        public ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromException<ApprovalDecision>(exception);
    }
}
