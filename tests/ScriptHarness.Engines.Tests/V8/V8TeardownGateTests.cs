using ScriptHarness.Engines.V8;

namespace ScriptHarness.Tests.Engines.V8;

/// <summary>
/// The gate that keeps V8 teardown off the process's way out: no teardown starts once the process exits, and the exit
/// waits for one under way (bounded), so a runtime is never torn down while the C++ exit handlers destroy V8's state.
/// </summary>
public sealed class V8TeardownGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Teardowns_MayStart_UntilTheGateCloses_AndNoneAfter()
    {
        var gate = new V8TeardownGate();
        Assert.True(gate.TryBegin());
        gate.End();
        Assert.True(gate.TryBegin());
        gate.End();

        Assert.True(gate.Close(TimeSpan.Zero));
        Assert.False(gate.TryBegin());
    }

    [Fact]
    public async Task Closing_WaitsForATeardownUnderWay()
    {
        var gate = new V8TeardownGate();
        Assert.True(gate.TryBegin());
        var closing = Task.Run(() => gate.Close(Patience));
        await Task.WhenAny(closing, Task.Delay(200));
        Assert.False(closing.IsCompleted, "the gate closed while a teardown was still running");
        Assert.False(gate.TryBegin());

        gate.End();
        Assert.True(await closing.WaitAsync(Patience));
    }

    [Fact]
    public void Closing_GivesUpOnATeardownThatHangs_AfterItsPatience()
    {
        var gate = new V8TeardownGate();
        Assert.True(gate.TryBegin());
        Assert.False(gate.Close(TimeSpan.FromMilliseconds(50)));
        Assert.False(gate.TryBegin());
    }
}
