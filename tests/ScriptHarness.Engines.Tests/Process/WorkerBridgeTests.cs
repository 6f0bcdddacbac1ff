using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Engines.Worker;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Process;

public sealed class WorkerBridgeTests
{
    [Fact]
    public async Task AfterEnd_ACallLogOrProgressOfTheFinishedScript_SendsNothingToTheHost()
    {
        // A finished script's leftovers (a finalization callback holding its tools) must not reach the host while the
        // worker runs the next script: the host would take the frame for a call of the script now running.
        using var output = new MemoryStream();
        using var bridge = new WorkerBridge(["test.echo"], new ScriptLimits(), new FrameWriter(output));
        bridge.End();

        var call = bridge.InvokeAsync("test.echo", JsonValue.Create(1), CancellationToken.None);
        bridge.Log(LogLevel.Information, "ghost");
        bridge.Progress("ghost");

        Assert.True(call.IsCompleted);
        var result = await call;
        Assert.False(result.IsSuccess);
        Assert.Equal(ScriptErrorCode.Cancelled, result.Error.Code);
        Assert.Contains("after the script ended", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task BeforeEnd_ACallIsAFrameToTheHost_AndEndAnswersItCancelled()
    {
        using var output = new MemoryStream();
        using var bridge = new WorkerBridge(["test.echo"], new ScriptLimits(), new FrameWriter(output));

        var call = bridge.InvokeAsync("test.echo", JsonValue.Create(1), CancellationToken.None);

        Assert.False(call.IsCompleted);
        Assert.True(output.Length > 0);
        bridge.End();
        var result = await call;
        Assert.False(result.IsSuccess);
        Assert.Equal(ScriptErrorCode.Cancelled, result.Error.Code);
        Assert.Equal("the script ended", result.Error.Message);
    }

    [Fact]
    public async Task PastTheFloodBound_CallsAreRefusedInTheWorker_AndNoFrameReachesTheHost()
    {
        // A script's finalization callbacks can make thousands of calls at once; the host would take a flood of call
        // frames for a broken worker and kill it, so the worker refuses them itself, as the budget they are past.
        var limits = new ScriptLimits { MaxToolCalls = 2 };
        using var output = new MemoryStream();
        using var bridge = new WorkerBridge(["test.echo"], limits, new FrameWriter(output));
        var sent = new List<ValueTask<ToolResult>>();
        for (var i = 0; i < CallFlood.MaxFrames(limits); i++)
        {
            sent.Add(bridge.InvokeAsync("test.echo", JsonValue.Create(i), CancellationToken.None));
        }

        var length = output.Length;
        var refused = bridge.InvokeAsync("nope.none", null, CancellationToken.None);

        Assert.All(sent, call => Assert.False(call.IsCompleted));
        Assert.True(refused.IsCompleted);
        var result = await refused;
        Assert.False(result.IsSuccess);
        Assert.Equal(ScriptErrorCode.ToolBudgetExceeded, result.Error.Code);
        Assert.Equal("tool call budget exceeded: at most 2 tool calls per script", result.Error.Message);
        Assert.Equal(length, output.Length);
        bridge.End();
        foreach (var call in sent)
        {
            Assert.Equal(ScriptErrorCode.Cancelled, (await call).Error?.Code);
        }
    }

    [Fact]
    public async Task TheRunFramesWordOnPolling_HoldsUntilAnAnswerCarriesANewOne()
    {
        // The host counts the scripts running in its workers; each answer tells the worker whether its engine thread
        // may poll for the next one, so a script that started alone stops polling once others take the processors.
        using var output = new MemoryStream();
        using var bridge = new WorkerBridge(["test.echo"], new ScriptLimits(), new FrameWriter(output), inbox: null, mayPoll: false);
        Assert.False(bridge.MayPoll);

        var first = bridge.InvokeAsync("test.echo", JsonValue.Create(1), CancellationToken.None);
        bridge.Complete(new ToolResultFrame(LastCallId(output), "1", null, null, MayPoll: true));
        Assert.Equal(1, (await first).Value!.GetValue<int>());
        Assert.True(bridge.MayPoll);

        var second = bridge.InvokeAsync("test.echo", JsonValue.Create(2), CancellationToken.None);
        bridge.Complete(new ToolResultFrame(LastCallId(output), null, "tool_execution_failed", "no", MayPoll: false));
        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, (await second).Error?.Code);
        Assert.False(bridge.MayPoll);

        // An answer to a call no longer waited for still carries the host's latest word.
        bridge.Complete(new ToolResultFrame(long.MaxValue, "0", null, null, MayPoll: true));
        Assert.True(bridge.MayPoll);
    }

    /// <summary>The id of the last call frame the bridge wrote.</summary>
    private static long LastCallId(MemoryStream output)
    {
        using var written = new MemoryStream(output.ToArray());
        var reader = new FrameReader(written, 1024 * 1024);
        long id = 0;
        while (reader.Read() is { } frame)
        {
            id = Assert.IsType<ToolCallFrame>(frame).CallId;
        }

        return id;
    }
}
