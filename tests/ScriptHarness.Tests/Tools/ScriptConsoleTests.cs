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

    [Fact]
    public void Log_KeepsTheLevel_AndEmitsOneEventPerKeptEntry()
    {
        var sut = WithEvents(ScriptLimits.Default with { MaxLogsPerSecond = 2 });
        sut.Log(LogLevel.Warning, "w");
        sut.Log(LogLevel.Error, "e");
        sut.Log(LogLevel.Information, "dropped");

        Assert.Equal([(LogLevel.Warning, "w"), (LogLevel.Error, "e")], sut.Logs.Select(l => (l.Level, l.Message)));
        Assert.Equal(sut.Logs, Events().OfType<LogEvent>().Select(e => e.Entry));
        Assert.Equal(1, sut.DroppedLogs);
    }

    [Fact]
    public void Log_TheRateWindow_ReopensOnlyAFullSecondAfterItsFirstEntry()
    {
        var sut = CreateSut(ScriptLimits.Default with { MaxLogsPerSecond = 1 });
        sut.Log(LogLevel.Information, "a");
        _time.Advance(TimeSpan.FromMilliseconds(999));
        sut.Log(LogLevel.Information, "b: same second");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        sut.Log(LogLevel.Information, "c: next second");

        Assert.Equal(["a", "c: next second"], sut.Logs.Select(l => l.Message));
        Assert.Equal(1, sut.DroppedLogs);
    }

    [Fact]
    public void Log_NoEntriesAllowed_DropsEverything()
    {
        var sut = CreateSut(ScriptLimits.Default with { MaxLogEntries = 0 });
        sut.Log(LogLevel.Information, "a");
        Assert.Empty(sut.Logs);
        Assert.Equal(1, sut.DroppedLogs);
    }

    [Fact]
    public void Log_AMessageOfExactlyTheLimit_IsKeptWhole()
    {
        var sut = CreateSut();
        var message = new string('a', ScriptLimits.Default.MaxMessageLength);
        sut.Log(LogLevel.Information, message);
        sut.Log(LogLevel.Information, message + "b");

        Assert.Equal(message, sut.Logs[0].Message);
        Assert.Equal(message + "…", sut.Logs[1].Message);
    }

    [Fact]
    public void LogAndProgress_LoneSurrogates_BecomeReplacementCharacters_AlsoWhereTheCutSplitsAPair()
    {
        var sut = WithEvents();
        var limit = ScriptLimits.Default.MaxMessageLength;
        var cutPair = new string('a', limit - 1) + "\U0001F600"; // the pair's high half is the last character kept
        sut.Log(LogLevel.Information, "x\uD800y");
        sut.Log(LogLevel.Information, cutPair);
        sut.Progress("p\uDC00");

        Assert.Equal("x\uFFFDy", sut.Logs[0].Message);
        Assert.Equal(new string('a', limit - 1) + "\uFFFD…", sut.Logs[1].Message);
        Assert.Equal("p\uFFFD", Events().OfType<ProgressEvent>().Single().Message);
    }

    [Fact]
    public void Logs_IsASnapshot()
    {
        var sut = CreateSut();
        sut.Log(LogLevel.Information, "a");
        var before = sut.Logs;
        sut.Log(LogLevel.Information, "b");

        Assert.Single(before);
        Assert.Equal(2, sut.Logs.Count);
    }

    [Fact]
    public void Progress_NoneAllowed_DropsTheFirst()
    {
        var sut = WithEvents(ScriptLimits.Default with { MaxProgressEvents = 0 });
        sut.Progress("p");
        Assert.Empty(Events().OfType<ProgressEvent>());
        Assert.Equal(1, sut.DroppedProgress);
    }

    private readonly System.Threading.Channels.Channel<HarnessEvent> _events = System.Threading.Channels.Channel.CreateUnbounded<HarnessEvent>();

    private ScriptConsole WithEvents(ScriptLimits? limits = null) => new(limits ?? ScriptLimits.Default, _time, new RunEvents(_events.Writer, _time).For(0));

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
