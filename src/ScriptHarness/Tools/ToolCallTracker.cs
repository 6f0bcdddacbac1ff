using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>
/// Tracks every tool call of one script (id, tool, start, end, status, result), so that partial results survive a
/// failing script and calls still running at its end are reported rather than lost.
/// </summary>
internal sealed class ToolCallTracker(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _calls = [];
    private bool _sealed;

    public Entry Start(string callId, string tool)
    {
        var entry = new Entry(callId, tool, time.GetTimestamp());
        lock (_gate)
        {
            _calls.Add(entry);
        }

        return entry;
    }

    public void Complete(Entry entry, ToolCallStatus status, JsonNode? result = null, ScriptError? error = null)
    {
        lock (_gate)
        {
            if (entry.Status != ToolCallStatus.Running)
            {
                return;
            }

            // After the script has ended, a late call keeps its Detached status: its result is dropped.
            entry.Status = _sealed ? ToolCallStatus.Detached : status;
            entry.Result = _sealed ? null : result;
            entry.Error = error;
            entry.Ended = time.GetTimestamp();
        }
    }

    /// <summary>The script has ended: calls still running are detached. Returns their ids.</summary>
    public IReadOnlyList<string> Seal()
    {
        lock (_gate)
        {
            _sealed = true;
            foreach (var call in _calls.Where(c => c.Status == ToolCallStatus.Running))
            {
                call.Status = ToolCallStatus.Detached;
                call.Ended = time.GetTimestamp();
            }

            return [.. _calls.Where(c => c.Status == ToolCallStatus.Detached).Select(c => c.CallId)];
        }
    }

    public IReadOnlyList<ToolCallRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _calls.Select(c => new ToolCallRecord(c.CallId, c.Tool, c.Status,
                time.GetElapsedTime(c.Started, c.Ended ?? time.GetTimestamp())) { Result = c.Result, Error = c.Error })];
        }
    }

    internal sealed class Entry(string callId, string tool, long started)
    {
        public string CallId { get; } = callId;

        public string Tool { get; } = tool;

        public long Started { get; } = started;

        public long? Ended { get; set; }

        public ToolCallStatus Status { get; set; } = ToolCallStatus.Running;

        public JsonNode? Result { get; set; }

        public ScriptError? Error { get; set; }
    }
}
