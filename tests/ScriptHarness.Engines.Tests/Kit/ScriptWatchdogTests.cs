using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>The kit's clocks on a fake <see cref="TimeProvider"/>: the deadline and the host-side watchdog.</summary>
public sealed class ScriptWatchdogTests
{
    private static readonly ScriptLimits Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Deadline_ReadsItsClock()
    {
        var deadline = new ScriptDeadline(Limits.Timeout, Bridge(), _clock);
        Assert.Equal(Limits.Timeout, deadline.Remaining);
        Assert.False(deadline.IsPast);

        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(4), deadline.Elapsed);
        Assert.Equal(TimeSpan.FromSeconds(6), deadline.Remaining);

        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(deadline.IsPast);
    }

    [Fact]
    public async Task Watchdog_RunPastDeadlineAndSlack_WritesItOffWithATimeoutThatRetiresTheRuntime()
    {
        var watchdog = new ScriptWatchdog(Slack, _clock);
        var run = new TaskCompletionSource<EngineResult>();
        var writtenOff = 0;
        watchdog.Started();
        var wait = watchdog.WaitAsync(run.Task, Limits, Bridge(), () => writtenOff++);

        _clock.Advance(Limits.Timeout + Slack + TimeSpan.FromMilliseconds(1));
        var result = await wait;

        Assert.Equal(1, writtenOff);
        Assert.Equal(ScriptErrorCode.Timeout, result.Error?.Code);
        Assert.Equal("the script ran longer than its time limit of 10000 ms", result.Error!.Message);
        Assert.True(result.RetireRuntime);
        Assert.True(result.Duration > Limits.Timeout + Slack);
    }

    [Fact]
    public async Task Watchdog_RunStillQueued_IsNotWrittenOffForTheTimeItWaited()
    {
        var watchdog = new ScriptWatchdog(Slack, _clock);
        var run = new TaskCompletionSource<EngineResult>();
        var writtenOff = 0;
        var wait = watchdog.WaitAsync(run.Task, Limits, Bridge(), () => writtenOff++);

        // Waiting for a free thread does not count: the watchdog keeps waiting, and the run's own result comes back.
        _clock.Advance(Limits.Timeout + Slack + TimeSpan.FromSeconds(1));
        watchdog.Started();
        run.SetResult(EngineResult.Success(null));
        var result = await wait;

        Assert.Equal(0, writtenOff);
        Assert.Null(result.Error);
        Assert.False(result.RetireRuntime);
    }

    [Fact]
    public async Task Watchdog_KeepsTimeOnTheClockItWasGiven()
    {
        // Ten minutes pass at once on the fake clock; on any other clock this wait would outlast the test's patience.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMinutes(10) };
        var watchdog = new ScriptWatchdog(Slack, _clock);
        var run = new TaskCompletionSource<EngineResult>();
        watchdog.Started();
        var wait = watchdog.WaitAsync(run.Task, limits, Bridge(), () => { }).AsTask();

        _clock.Advance(limits.Timeout + Slack + TimeSpan.FromMilliseconds(1));
        var result = await wait.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScriptErrorCode.Timeout, result.Error?.Code);
        Assert.Equal("the script ran longer than its time limit of 600000 ms", result.Error!.Message);
    }

    private static ScriptToolBridge Bridge() =>
        new(TestTools.Registry(), ScriptRunHelper.Prepare("return 1;").Context, ScriptRunHelper.Services());
}
