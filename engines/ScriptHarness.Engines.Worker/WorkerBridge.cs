using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Worker;

/// <summary>
/// The engine's <see cref="IToolBridge"/> inside the worker: every call becomes a frame to the host, where the real
/// bridge (tools, approvals, budgets, tracking) answers it. Rate limits and truncation stay in the host too. With an
/// inbox, the engine's thread reads the host's answers itself while the script waits (<see cref="Receive"/>), polling
/// for them while the host says it may (<see cref="MayPoll"/>).
/// </summary>
internal sealed class WorkerBridge(IReadOnlyList<string> toolNames, ScriptLimits limits, FrameWriter writer, IHostInbox? inbox = null, bool mayPoll = true)
    : IReceivingToolBridge, IDisposable
{
    private readonly int _maxFrames = CallFlood.MaxFrames(limits);
    private int _frames;
    private static long s_nextCallId;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ToolResult>> _calls = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Lock _gate = new();
    private TimeSpan _paused;
    private long _pausedAt;
    private bool _waiting;

    // Set when the host's frames changed something the run must look at (an answer, a pause, a cancellation), taken by the
    // engine's thread when it waits: an answer handled by the worker loop's thread is never missed by a wait that follows.
    private int _news;

    // Set by End: a script's leftovers (a finalization callback, a promise job) may still hold this bridge, and nothing
    // of a finished script may reach the host during the next one.
    private volatile bool _ended;

    // The host's word on the processors, from the run frame and then from each answer.
    private volatile bool _mayPoll = mayPoll;

    public IReadOnlyCollection<string> ToolNames { get; } = toolNames;

    public CancellationToken Cancellation => _cancel.Token;

    /// <summary>Whether the engine's thread may poll for its answers rather than sleep, as the host last said.</summary>
    public bool MayPoll => _mayPoll;

    public TimeSpan PausedTime
    {
        get
        {
            lock (_gate)
            {
                return _waiting ? _paused + TimeProvider.System.GetElapsedTime(_pausedAt) : _paused;
            }
        }
    }

    public async ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return ToolResult.Failure(ScriptErrorCode.Cancelled, $"the call to {tool} was made after the script ended");
        }

        // The host refuses these calls too, past the budget; past the flood bound it would take the worker for broken.
        if (Interlocked.Increment(ref _frames) > _maxFrames)
        {
            return ToolResult.Failure(ScriptErrorCode.ToolBudgetExceeded,
                $"tool call budget exceeded: at most {limits.MaxToolCalls} tool calls per script");
        }

        var id = Interlocked.Increment(ref s_nextCallId);
        // Completed synchronously where the answer is read: mostly on the engine's own thread, inside Receive, so the
        // result is posted to the run with no wake-up at all; else on the worker loop's thread (a post and a signal). A
        // thread-pool hop on the way would be one more wake-up per tool call.
        var pending = new TaskCompletionSource<ToolResult>();
        _calls[id] = pending;
        using var registration = cancellationToken.Register(() =>
        {
            if (_calls.TryRemove(id, out var call))
            {
                call.TrySetResult(ToolResult.Failure(ScriptErrorCode.Cancelled, $"the call to {tool} was cancelled"));
            }
        });
        writer.Write(new ToolCallFrame(id, tool, WireJson.Text(args)));
        return await pending.Task.ConfigureAwait(false);
    }

    public void Progress(string message)
    {
        if (!_ended)
        {
            writer.Write(new ProgressFrame(message));
        }
    }

    public void Log(LogLevel level, string message)
    {
        if (!_ended)
        {
            writer.Write(new LogFrame((int)level, message));
        }
    }

    /// <inheritdoc />
    public bool Receive(TimeSpan timeout, CancellationToken cancellationToken) =>
        inbox is not null && !_ended && inbox.Receive(this, timeout, cancellationToken);

    /// <summary>Whether the host's frames changed something since the last look (and forgets it).</summary>
    public bool TakeNews() => Interlocked.Exchange(ref _news, 0) != 0;

    /// <summary>The host's answer to a call; answers to calls no longer waited for are dropped.</summary>
    public void Complete(ToolResultFrame result)
    {
        _mayPoll = result.MayPoll;
        if (!_calls.TryRemove(result.CallId, out var call))
        {
            return;
        }

        if (result.ErrorCode is null)
        {
            try
            {
                call.TrySetResult(ToolResult.Success(WireJson.Parse(result.ValueJson)));
            }
            catch (FrameException)
            {
                call.TrySetResult(ToolResult.Failure(ScriptErrorCode.HarnessInternal, "the tool's result did not cross to the engine"));
            }
        }
        else
        {
            var code = ScriptErrorCodes.TryParse(result.ErrorCode, out var c) ? c : ScriptErrorCode.HarnessInternal;
            call.TrySetResult(ToolResult.Failure(code, result.ErrorMessage ?? string.Empty));
        }

        // After the completion, which posts to the engine's queue within TrySetResult: a wait that takes the news sees it.
        Volatile.Write(ref _news, 1);
    }

    public void SetPaused(TimeSpan paused, bool waiting)
    {
        lock (_gate)
        {
            _paused = paused;
            _waiting = waiting;
            _pausedAt = TimeProvider.System.GetTimestamp();
        }

        Volatile.Write(ref _news, 1);
    }

    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended: nothing left to cancel.
        }

        Volatile.Write(ref _news, 1);
    }

    /// <summary>The script ended: calls still waiting end as cancelled (the host's tracker has the real story).</summary>
    public void End()
    {
        _ended = true;
        foreach (var id in _calls.Keys)
        {
            if (_calls.TryRemove(id, out var call))
            {
                call.TrySetResult(ToolResult.Failure(ScriptErrorCode.Cancelled, "the script ended"));
            }
        }
    }

    public void Dispose() => _cancel.Dispose();
}
