using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

public sealed class ScriptConsoleTests
{
    private readonly FakeTimeProvider _time = new();

    private ScriptConsole CreateSut(ScriptLimits? limits = null) => new(limits ?? ScriptLimits.Default, _time, ScriptEvents.None);

    [Fact]
    public void Log_MoreThanTwentyInOneSecond_ExcessDroppedAndCounted()
    {
        var sut = CreateSut();
        for (var i = 0; i < 25; i++)
        {
            sut.Log(LogLevel.Information, $"m{i}");
        }

        Assert.Equal(20, sut.Logs.Count);
        Assert.Equal(5, sut.DroppedLogs);

        _time.Advance(TimeSpan.FromSeconds(1));
        sut.Log(LogLevel.Information, "next second");
        Assert.Equal("next second", sut.Logs[^1].Message);
    }

    [Fact]
    public void Log_OverThePerScriptCap_DroppedEvenAcrossSeconds()
    {
        var sut = CreateSut();
        for (var second = 0; second < 15; second++)
        {
            for (var i = 0; i < 20; i++)
            {
                sut.Log(LogLevel.Information, "x");
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(200, sut.Logs.Count);
        Assert.Equal(100, sut.DroppedLogs);
    }

    [Fact]
    public void Log_LongMessage_IsTruncated()
    {
        var sut = CreateSut();
        sut.Log(LogLevel.Warning, new string('a', 5000));
        Assert.Equal(1001, sut.Logs[0].Message.Length);
    }

    [Fact]
    public void Progress_SoonerThanTheInterval_IsDropped()
    {
        var sut = WithEvents();
        sut.Progress("first");
        sut.Progress("too soon");
        _time.Advance(TimeSpan.FromMilliseconds(499));
        sut.Progress("still too soon");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        sut.Progress("second");
        Assert.Equal(["first", "second"], Events().OfType<ProgressEvent>().Select(e => e.Message));
        Assert.Equal(2, sut.DroppedProgress);
    }

    [Fact]
    public void Progress_AtMostFiftyPerScript()
    {
        var sut = WithEvents();
        for (var i = 0; i < 60; i++)
        {
            sut.Progress($"p{i}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(50, Events().OfType<ProgressEvent>().Count());
        Assert.Equal(10, sut.DroppedProgress);
    }

    [Fact]
    public void Progress_LongMessage_IsTruncatedToTheLimit()
    {
        WithEvents().Progress(new string('p', 3000));
        Assert.Equal(1001, Events().OfType<ProgressEvent>().Single().Message.Length);
    }

    private readonly System.Threading.Channels.Channel<HarnessEvent> _events = System.Threading.Channels.Channel.CreateUnbounded<HarnessEvent>();

    private ScriptConsole WithEvents() => new(ScriptLimits.Default, _time, new RunEvents(_events.Writer, _time).For(0));

    private List<HarnessEvent> Events()
    {
        var list = new List<HarnessEvent>();
        while (_events.Reader.TryRead(out var e))
        {
            list.Add(e);
        }

        return list;
    }
}
