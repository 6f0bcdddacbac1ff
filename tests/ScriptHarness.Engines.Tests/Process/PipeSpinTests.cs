using System.IO.Pipes;
using ScriptHarness.Engines.Process.Protocol;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>
/// The poll a frame reader makes before it blocks (<see cref="PipeSpin"/>), on a real pipe: it sees data and the
/// writer's end, never invents either, and a wait past the spin ends at its timeout or when data comes.
/// </summary>
public sealed class PipeSpinTests : IDisposable
{
    private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _reader;
    private readonly PipeSpin _spin;

    public PipeSpinTests()
    {
        _reader = new AnonymousPipeClientStream(PipeDirection.In, _writer.ClientSafePipeHandle);
        _spin = PipeSpin.Over((int)_reader.SafePipeHandle.DangerousGetHandle(), TimeSpan.FromMilliseconds(1))!;
    }

    [Fact]
    public void AnEmptyPipe_IsNotReadable_AndOneWithABytePendingIs_UntilItIsRead()
    {
        Assert.False(_spin.ReadableNow());
        Assert.False(_spin.UntilReadable());

        _writer.WriteByte(7);

        Assert.True(_spin.ReadableNow());
        Assert.True(_spin.UntilReadable());
        Assert.True(_spin.Readable(TimeSpan.Zero));
        Assert.Equal(7, _reader.ReadByte());
        Assert.False(_spin.ReadableNow());
    }

    [Fact]
    public void AWaitWithNothingComing_EndsAtItsTimeout_NotBefore()
    {
        var started = TimeProvider.System.GetTimestamp();

        Assert.False(_spin.Readable(TimeSpan.FromMilliseconds(40)));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(39));
    }

    [Fact]
    public async Task AWaitPastTheSpin_EndsWhenDataComes()
    {
        var writing = Task.Run(async () =>
        {
            await Task.Delay(50);
            _writer.WriteByte(1);
        });

        Assert.True(_spin.Readable(TimeSpan.FromSeconds(30)));
        await writing;
        Assert.Equal(1, _reader.ReadByte());
    }

    [Fact]
    public void TheWritersEnd_IsReadable_SoTheReadThatFollowsSeesIt()
    {
        _writer.Dispose();

        Assert.True(_spin.ReadableNow());
        Assert.Equal(-1, _reader.ReadByte());
    }

    [Fact]
    public void AfterASpinThatRanOut_TheNextIsShort_UntilOneEndsWithData()
    {
        var spin = PipeSpin.Over((int)_reader.SafePipeHandle.DangerousGetHandle(), TimeSpan.FromMilliseconds(800))!;

        var full = Timed(() => Assert.False(spin.UntilReadable()));
        var shortened = Timed(() => Assert.False(spin.UntilReadable()));
        _writer.WriteByte(1);
        Assert.True(spin.UntilReadable());
        Assert.Equal(1, _reader.ReadByte());
        var fullAgain = Timed(() => Assert.False(spin.UntilReadable()));

        Assert.True(full >= TimeSpan.FromMilliseconds(799), full.ToString());
        Assert.True(shortened >= TimeSpan.FromMilliseconds(49) && shortened < TimeSpan.FromMilliseconds(600), shortened.ToString());
        Assert.True(fullAgain >= TimeSpan.FromMilliseconds(799), fullAgain.ToString());
    }

    [Fact]
    public void AKernelWait_DoesNotPollFirst_AndEndsAtItsTimeoutOrWithData()
    {
        Assert.False(_spin.ReadableWithin(TimeSpan.Zero));
        Assert.True(Timed(() => Assert.False(_spin.ReadableWithin(TimeSpan.FromMilliseconds(30)))) >= TimeSpan.FromMilliseconds(29));

        _writer.WriteByte(2);

        Assert.True(_spin.ReadableWithin(TimeSpan.FromSeconds(30)));
        Assert.True(_spin.ReadableWithin(TimeSpan.Zero));
    }

    [Fact]
    public void NoBudget_NoSpin()
    {
        Assert.Null(PipeSpin.Over(0, TimeSpan.Zero));
        Assert.NotNull(PipeSpin.Over(0, PipeSpin.DefaultBudget));
    }

    private static TimeSpan Timed(Action action)
    {
        var started = TimeProvider.System.GetTimestamp();
        action();
        return TimeProvider.System.GetElapsedTime(started);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
    }
}
