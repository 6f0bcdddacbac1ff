using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Pipeline;

public sealed class EventStreamTests
{
    private static readonly JintEngineFactory Engine = new();

    private static async Task<List<HarnessEvent>> Collect(string reply, IApprovalService? approvals = null)
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), approvals ?? FixedApprovalService.ApproveAll);
        var events = new List<HarnessEvent>();
        await foreach (var e in harness.RunEventsAsync(reply))
        {
            events.Add(e);
        }

        return events;
    }

    // Regression (issue 9): a cancelled event stream just threw; it now ends with a RunCancelledEvent naming the first
    // segment without an item, then throws OperationCanceledException as the .NET contract has it.
    [Fact]
    public async Task RunEvents_HostCancels_EndsWithRunCancelledEventThenThrows()
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), FixedApprovalService.ApproveAll);
        using var cancel = new CancellationTokenSource();
        var events = new List<HarnessEvent>();
        const string reply = "<tool-calls>return 1;</tool-calls> then <tool-calls>await tools.t.delay({ ms: 60000 });</tool-calls><tool-calls>return 3;</tool-calls>";

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            // Blocks run ahead of the items before them: the tool call of block 2 may start before items 0 and 1 are
            // out. Cancelled once both are out and the call has started, whichever comes last.
            var started = false;
            await foreach (var e in harness.RunEventsAsync(reply, cancellationToken: cancel.Token))
            {
                events.Add(e);
                started |= e is ToolCallStartedEvent;
                if (started && events.OfType<ResponseItemEvent>().Count() == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        var last = Assert.IsType<RunCancelledEvent>(events[^1]);
        Assert.Equal(2, last.Index);
        Assert.Equal([0, 1], events.OfType<ResponseItemEvent>().Select(e => e.Index));
    }

    [Fact]
    public async Task RunEvents_OneScript_EventsInOrder()
    {
        var events = await Collect("Hi <tool-calls>console.log('a'); context.progress('half'); await tools.t.echo({}); return 1;</tool-calls>");
        var script = events.Where(e => e.Index == 1).Select(e => e.GetType().Name).ToList();
        Assert.Equal(
            ["ScriptStartedEvent", "LogEvent", "ProgressEvent", "ToolCallStartedEvent", "ToolCallCompletedEvent", "ScriptCompletedEvent", "ResponseItemEvent"],
            script);
        Assert.IsType<TextItem>(Assert.IsType<ResponseItemEvent>(events.First(e => e.Index == 0)).Item);
        var completed = events.OfType<ToolCallCompletedEvent>().Single();
        Assert.Equal(ToolCallStatus.Succeeded, completed.Status);
        Assert.Equal("t.echo", completed.Tool);
    }

    // The CLI's text mode shows progress messages of a reply read as bytes: the byte overload gives the events of the
    // string one with the items of RunAsync(bytes) (invalid UTF-8 fails only its block, the BOM is dropped).
    [Fact]
    public async Task RunEvents_Utf8Reply_ProgressEventsAndTheItemsOfTheByteOverload()
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), FixedApprovalService.ApproveAll);
        var bytes = new List<byte>();
        bytes.AddRange("\uFEFFHi <tool-calls>context.progress('half'); return 1;</tool-calls><tool-calls>return '"u8.ToArray());
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange("';</tool-calls>"u8.ToArray());
        var events = new List<HarnessEvent>();
        await foreach (var e in harness.RunEventsAsync(bytes.ToArray().AsMemory()))
        {
            events.Add(e);
        }

        Assert.Equal("half", Assert.Single(events.OfType<ProgressEvent>()).Message);
        var items = events.OfType<ResponseItemEvent>().Select(e => e.Item).ToList();
        Assert.Equal("Hi ", Assert.IsType<TextItem>(items[0]).Text);
        Assert.Equal(1, Assert.IsType<ScriptResultItem>(items[1]).Outcome.Value!.GetValue<int>());
        Assert.Equal(ScriptErrorCode.InvalidUtf8, Assert.IsType<ScriptResultItem>(items[2]).Outcome.Error!.Code);
    }

    [Fact]
    public async Task RunEvents_ResponseItems_InReplyOrder()
    {
        var events = await Collect("a<tool-calls>await tools.t.delay({ms: 100}); return 1;</tool-calls>b<tool-calls>return 2;</tool-calls>c");
        Assert.Equal([0, 1, 2, 3, 4], events.OfType<ResponseItemEvent>().Select(e => e.Item.Index));
    }

    [Fact]
    public async Task RunEvents_Approval_RequestedThenResolved()
    {
        var events = await Collect("<tool-calls>try { await tools.t.guarded({ password: 'hunter2' }); } catch (e) { return e.code; }</tool-calls>",
            FixedApprovalService.DenyAllWith("no"));
        var requested = events.OfType<ApprovalRequestedEvent>().Single();
        var resolved = events.OfType<ApprovalResolvedEvent>().Single();
        Assert.Equal("t.guarded", requested.Request.Tool);
        Assert.Equal(requested.Request.RequestId, resolved.RequestId);
        Assert.False(resolved.Approved);
        Assert.True(events.IndexOf(requested) < events.IndexOf(resolved));
    }

    [Fact]
    public async Task RunEvents_FailingSource_EndsTheStreamWithTheError()
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var _ in harness.RunStreamingEventsAsync(Broken()))
            {
            }
        });

        static async IAsyncEnumerable<string> Broken()
        {
            yield return "text";
            await Task.Yield();
            throw new IOException("stream broke");
        }
    }
}
