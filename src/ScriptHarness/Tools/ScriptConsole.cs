using Microsoft.Extensions.Logging;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tools;

/// <summary>
/// A script's console and progress messages under its limits: console at most <see cref="ScriptLimits.MaxLogEntries"/>
/// per script and <see cref="ScriptLimits.MaxLogsPerSecond"/> per second; progress at most
/// <see cref="ScriptLimits.MaxProgressEvents"/> per script, one per <see cref="ScriptLimits.ProgressInterval"/>. What is
/// over a limit is dropped and counted, cheaply, so a flood costs the host almost nothing.
/// </summary>
internal sealed class ScriptConsole(ScriptLimits limits, TimeProvider time, ScriptEvents events)
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _logs = [];
    private int _droppedLogs;
    private int _droppedProgress;
    private int _progressCount;
    private long _lastProgress;
    private long _windowStart;
    private int _windowCount;

    public IReadOnlyList<LogEntry> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    public int DroppedLogs => Volatile.Read(ref _droppedLogs);

    public int DroppedProgress => Volatile.Read(ref _droppedProgress);

    public void Log(LogLevel level, string message)
    {
        LogEntry entry;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_windowCount == 0 || time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _windowCount = 0;
            }

            if (_logs.Count >= limits.MaxLogEntries || _windowCount >= limits.MaxLogsPerSecond)
            {
                _droppedLogs++;
                return;
            }

            _windowCount++;
            entry = new LogEntry(level, Truncate(message));
            _logs.Add(entry);
        }

        events.Log(entry);
    }

    public void Progress(string message)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_progressCount >= limits.MaxProgressEvents
                || (_progressCount > 0 && time.GetElapsedTime(_lastProgress, now) < limits.ProgressInterval))
            {
                _droppedProgress++;
                return;
            }

            _progressCount++;
            _lastProgress = now;
        }

        events.Progress(Truncate(message));
    }

    // Lone surrogates (a script's own, or half a pair cut here) become U+FFFD: logs and progress are output text.
    private string Truncate(string message) => WellFormedText.Repair(
        message.Length <= limits.MaxMessageLength ? message : string.Concat(message.AsSpan(0, limits.MaxMessageLength), "…"));
}
