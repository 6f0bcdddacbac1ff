using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tools;

/// <summary>A script's captured console and progress messages, bounded by its limits; excess is counted.</summary>
internal sealed class ScriptConsole(ScriptLimits limits)
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _logs = [];
    private readonly List<string> _progress = [];
    private int _droppedLogs;

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

    public IReadOnlyList<string> ProgressMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _progress];
            }
        }
    }

    public void Log(LogLevel level, string message)
    {
        lock (_gate)
        {
            if (_logs.Count >= limits.MaxLogEntries)
            {
                _droppedLogs++;
                return;
            }

            _logs.Add(new LogEntry(level, Truncate(message)));
        }
    }

    public void Progress(string message)
    {
        lock (_gate)
        {
            _progress.Add(Truncate(message));
        }
    }

    private string Truncate(string message) =>
        message.Length <= limits.MaxMessageLength ? message : string.Concat(message.AsSpan(0, limits.MaxMessageLength), "…");
}
