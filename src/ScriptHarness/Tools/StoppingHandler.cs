using Microsoft.Extensions.Logging;

namespace ScriptHarness.Tools;

/// <summary>
/// A handler whose call has ended (time limit, script's end) while it still runs. One that listens to its token returns
/// within moments and simply gives its slot back; one still running after <see cref="ToolExecutionGate.StopGrace"/> is
/// abandoned. Judging only after the grace keeps handlers that do stop out of the abandoned count.
/// </summary>
internal sealed partial class StoppingHandler
{
    private const int Waiting = 0, Returned = 1, Abandoned = 2;

    private readonly ToolExecutionGate _gate;
    private readonly string _tool;
    private readonly string _callId;
    private readonly bool _holdsSlot;
    private ITimer? _timer;
    private int _state;

    private StoppingHandler(ToolExecutionGate gate, string tool, string callId, bool holdsSlot)
    {
        _holdsSlot = holdsSlot;
        _gate = gate;
        _tool = tool;
        _callId = callId;
    }

    /// <summary>Watches <paramref name="handler"/>; <paramref name="holdsSlot"/>: whether its call took a slot of its own rather than run on an ancestor call's.</summary>
    public static void Watch(ToolExecutionGate gate, Task handler, string tool, string callId, bool holdsSlot)
    {
        var watch = new StoppingHandler(gate, tool, callId, holdsSlot);
        var timer = gate.Time.CreateTimer(static s => ((StoppingHandler)s!).GraceOver(), watch, ToolExecutionGate.StopGrace, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref watch._timer, timer);
        handler.ContinueWith(static (ended, s) => ((StoppingHandler)s!).Ended(ended), watch,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void GraceOver()
    {
        Volatile.Read(ref _timer)?.Dispose();
        if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting)
        {
            _gate.Abandon(_tool, _callId, _holdsSlot);
        }
    }

    private void Ended(Task handler)
    {
        // Reading the exception observes it; the call's outcome was already given, so it is only logged.
        var exception = handler.Exception?.GetBaseException();
        if (Interlocked.CompareExchange(ref _state, Returned, Waiting) == Waiting)
        {
            Volatile.Read(ref _timer)?.Dispose();
            if (_holdsSlot)
            {
                _gate.Exit();
            }

            return;
        }

        _gate.AbandonedEnded(_tool, _callId, exception);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tool {Tool} did not stop when call {CallId} timed out or was cancelled; its handler is abandoned and still running")]
    internal static partial void LogAbandoned(ILogger logger, string tool, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The abandoned handler of tool {Tool} (call {CallId}) has ended; its outcome was dropped")]
    internal static partial void LogAbandonedEnded(ILogger logger, string tool, string callId, Exception? exception);
}
