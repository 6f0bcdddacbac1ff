using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.State;

/// <summary>A resume has the event stream a run has: who it is (the block's identity), the script's events, its result.</summary>
public sealed class ResumeEventsTests
{
    private int _sends;

    private ToolRegistry Registry() => new([
        new ToolDefinition("crm.read", "reads", new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create(7))),
        new ToolDefinition("mail.send", "sends", new JsonObject { ["type"] = "object" }, (_, _, _) =>
            ValueTask.FromResult<JsonNode?>(JsonValue.Create(Interlocked.Increment(ref _sends)))) { RequiresApproval = true },
    ]);

    private HarnessPipeline Harness() =>
        new(new ScriptHarnessOptions { DurableApprovals = true }, StateStores.Engine, Registry(), stateStore: StateStores.Store(StateStores.Memory));

    private static async Task<List<HarnessEvent>> ListAsync(IAsyncEnumerable<HarnessEvent> events)
    {
        var list = new List<HarnessEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public async Task ResumeEvents_NameTheBlocksIdentity_ThenTheScriptsEvents_ThenItsResult()
    {
        using var harness = Harness();
        var identity = new RunIdentity("conv-events", "session-9", "turn-4");
        var suspended = Assert.Single(await StateStores.RunAsync(harness,
            StateStores.Blocks("const n = await tools.crm.read({}); return n + await tools.mail.send({ to: 'x' });"), new RunOptions { Identity = identity }));

        var events = await ListAsync(harness.ResumeEventsAsync(suspended.Suspension!.Token, ApprovalDecision.Approve));

        var resumed = Assert.IsType<ScriptResumedEvent>(events[0]);
        Assert.Equal(identity, resumed.Identity);
        Assert.Equal(suspended.Index, resumed.Index);
        Assert.IsType<ScriptStartedEvent>(events[1]);
        var calls = events.OfType<ToolCallCompletedEvent>().ToList();
        Assert.Equal(["crm.read", "mail.send"], calls.Select(c => c.Tool));
        Assert.All(calls, c => Assert.Equal(ToolCallStatus.Succeeded, c.Status));
        var approval = Assert.Single(events.OfType<ApprovalResolvedEvent>());
        Assert.True(approval.Approved);
        Assert.Equal(calls[1].CallId, approval.RequestId);
        var completed = Assert.IsType<ScriptCompletedEvent>(events[^2]);
        var item = Assert.IsType<ScriptResultItem>(Assert.IsType<ResponseItemEvent>(events[^1]).Item);
        Assert.Equal(ScriptStatus.Ok, item.Outcome.Status);
        Assert.Equal(8, (int)item.Outcome.Value!);
        Assert.Same(completed.Outcome, item.Outcome);
        Assert.Equal(suspended.Index, item.Index);
        Assert.Equal(1, _sends);
    }

    [Fact]
    public async Task ResumeEvents_OfATokenThatCannotResume_AreItsResultOnly()
    {
        using var harness = Harness();

        var events = await ListAsync(harness.ResumeEventsAsync(new string('c', 32), ApprovalDecision.Approve));

        var item = Assert.IsType<ScriptResultItem>(Assert.IsType<ResponseItemEvent>(Assert.Single(events)).Item);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, item.Outcome.Error!.Code);
    }

    [Fact]
    public async Task ResumeEvents_ASuspensionAgain_EndsWithTheNewSuspension_AndTheRefusalOfTheCallAsEvents()
    {
        using var harness = Harness();
        var first = Assert.Single(await StateStores.RunAsync(harness,
            StateStores.Blocks("await tools.mail.send({ to: 'a' }); return await tools.mail.send({ to: 'b' });"), StateStores.In("conv-again")));

        var events = await ListAsync(harness.ResumeEventsAsync(first.Suspension!.Token, ApprovalDecision.Approve));

        var requested = Assert.Single(events.OfType<ApprovalRequestedEvent>());
        Assert.Equal("b", (string?)requested.Request.Arguments!["to"]);
        var item = Assert.IsType<ScriptResultItem>(Assert.IsType<ResponseItemEvent>(events[^1]).Item);
        Assert.Equal(ScriptStatus.Suspended, item.Outcome.Status);
        Assert.Equal(requested.Request.RequestId, item.Outcome.Suspension!.CallId);
    }

    [Fact]
    public async Task ResumeEvents_ByDefault_IsTheResumesOutcomeAsItsOneEvent()
    {
        IScriptHarness harness = new OnlyResume();

        var events = await ListAsync(harness.ResumeEventsAsync("t", ApprovalDecision.Approve));

        var item = Assert.IsType<ScriptResultItem>(Assert.IsType<ResponseItemEvent>(Assert.Single(events)).Item);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, item.Outcome.Error!.Code);
    }

    /// <summary>A harness that implements nothing about resuming: the interface's defaults answer.</summary>
    private sealed class OnlyResume : IScriptHarness
    {
        public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(System.Threading.Channels.ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
