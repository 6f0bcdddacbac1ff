using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// The clock of a script's paused time (waiting for approvals): overlapping waits count once, from the first wait's
/// start to the last one's end, and a wait in progress counts up to now.
/// </summary>
public sealed class PauseClockTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Paused_NoWait_IsZero()
    {
        var clock = new PauseClock(_time);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.Zero, clock.Paused);
    }

    [Fact]
    public void Paused_OneWait_CountsItsLengthWhileItRunsAndAfterItEnds()
    {
        var clock = new PauseClock(_time);
        _time.Advance(TimeSpan.FromSeconds(1)); // before the wait: not counted
        var wait = clock.Begin();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), clock.Paused);

        wait.Dispose();
        _time.Advance(TimeSpan.FromSeconds(4)); // after it: not counted
        Assert.Equal(TimeSpan.FromSeconds(2), clock.Paused);
    }

    [Fact]
    public void Paused_SuccessiveWaits_AddUp()
    {
        var clock = new PauseClock(_time);
        using (clock.Begin())
        {
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        using (clock.Begin())
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            Assert.Equal(TimeSpan.FromSeconds(5), clock.Paused);
        }

        Assert.Equal(TimeSpan.FromSeconds(5), clock.Paused);
    }

    [Fact]
    public void Paused_OverlappingWaits_CountTheirUnionOnce()
    {
        var clock = new PauseClock(_time);
        var first = clock.Begin();
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = clock.Begin(); // starts inside the first: does not restart the pause
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Paused);

        first.Dispose(); // the second still waits: the pause goes on
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(7), clock.Paused);

        second.Dispose();
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(TimeSpan.FromSeconds(7), clock.Paused);

        // A later wait starts its own pause.
        using (clock.Begin())
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(TimeSpan.FromSeconds(8), clock.Paused);
        }
    }
}
