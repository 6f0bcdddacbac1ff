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
        using var bridge = new WorkerBridge(["test.echo"], new FrameWriter(output));
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
        using var bridge = new WorkerBridge(["test.echo"], new FrameWriter(output));

        var call = bridge.InvokeAsync("test.echo", JsonValue.Create(1), CancellationToken.None);

        Assert.False(call.IsCompleted);
        Assert.True(output.Length > 0);
        bridge.End();
        var result = await call;
        Assert.False(result.IsSuccess);
        Assert.Equal(ScriptErrorCode.Cancelled, result.Error.Code);
        Assert.Equal("the script ended", result.Error.Message);
    }
}
