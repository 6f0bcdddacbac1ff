using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <content>
/// Running a handler: its per-script and harness-wide slots, where it runs (inline when the tool is declared
/// non-blocking, else on a tool thread), its time limit — kept whether the handler listens to its token or not — and
/// what the script sees of the outcome.
/// </content>
internal sealed partial class ScriptToolBridge
{
    private async ValueTask<JsonNode?> ExecuteAsync(ToolDefinition tool, JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        var gate = _services.Gate;
        var limit = tool.Timeout ?? _context.Limits.ToolTimeout;
        CancellationTokenSource? timeout = null;
        var holdsSlot = false;
        ToolNesting? nesting = null;
        try
        {
            if (_outerCalls?.Holds(gate) == true)
            {
                // A nested reply's call, while an ancestor's call holds a slot of this gate waiting for it: it runs on
                // that slot, since waiting for a free one could mean waiting for itself.
                gate.EnterBorrowed();
            }
            else
            {
                await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                holdsSlot = true;
            }

            nesting = Nesting(gate);
            nesting.CallStarted();

            // One token tells the handler to stop: at its time limit, or when the script ends or the run is cancelled. Its
            // timer and its link to the script's token are made only if the handler goes asynchronous: most complete at
            // once (a non-blocking handler promises not to block), and the two cost more than the rest of the call.
            ThrowIfInvalid(limit);
            timeout = new CancellationTokenSource();
            var started = _services.Time.GetTimestamp();
            ValueTask<JsonNode?> pending;
            var outer = nesting.Enter();
            try
            {
                // The handler starts inside this script's calls (a tool thread captures them with the rest of the context).
                pending = tool.NonBlocking
                    ? tool.Handler(args, call, timeout.Token)
                    : new ValueTask<JsonNode?>(gate.Threads.Run(tool.Handler, args, call, timeout.Token));
            }
            finally
            {
                ToolNesting.Restore(outer);
            }

            JsonNode? result;
            if (pending.IsCompleted)
            {
                result = pending.GetAwaiter().GetResult();
                if (cancellationToken.IsCancellationRequested || IsPast(limit, started))
                {
                    // What the link or the timer would have done had they been there.
                    timeout.Cancel();
                }
            }
            else
            {
                using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
                using var timer = StartTimer(timeout, limit, started);
                var handler = pending.AsTask();
                try
                {
                    result = await handler.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!handler.IsCompleted)
                {
                    // The call ends now, whether or not the handler listens; the gate judges the handler's stop.
                    gate.ExitWhenStopped(handler, tool.Name, call.CallId, holdsSlot);
                    holdsSlot = false;
                    throw;
                }
            }

            if (timeout.IsCancellationRequested)
            {
                // The handler returned, but only after its limit (or its script's end): the late result is dropped.
                throw new OperationCanceledException(timeout.Token);
            }

            ToolResultCheck.ThrowIfNotJson(tool.Name, result);
            return result;
        }
        catch (ScriptHarnessException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ScriptHarnessException(ScriptErrorCode.Cancelled, $"the call to {tool.Name} was cancelled");
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
        {
            throw ToolException.Execution($"{tool.Name} timed out after {limit.TotalMilliseconds:0} ms");
        }
        catch (Exception ex)
        {
            // The model sees a plain failure; the host log keeps the details.
            LogHandlerFailure(_services.Logger, tool.Name, call.CallId, ex);
            throw ToolException.Execution($"{tool.Name} failed");
        }
        finally
        {
            if (holdsSlot)
            {
                _services.Gate.Exit();
            }

            nesting?.CallEnded();

            timeout?.Dispose();
            _inFlight.Release();
        }
    }

    // The limits CancellationTokenSource's own timer takes (-1 ms for none, up to 2^32 - 2 ms): checked before the
    // handler starts, so a limit no timer could hold fails the call instead of a timer failing under a running handler.
    private static void ThrowIfInvalid(TimeSpan limit)
    {
        if ((limit < TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan) || limit.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, null);
        }
    }

    private bool IsPast(TimeSpan limit, long started) =>
        limit != Timeout.InfiniteTimeSpan && _services.Time.GetElapsedTime(started) >= limit;

    /// <summary>Cancels <paramref name="timeout"/> at <paramref name="limit"/> after <paramref name="started"/>; at once if that has passed.</summary>
    private ITimer? StartTimer(CancellationTokenSource timeout, TimeSpan limit, long started)
    {
        if (limit == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var left = limit - _services.Time.GetElapsedTime(started);
        if (left <= TimeSpan.Zero)
        {
            timeout.Cancel();
            return null;
        }

        return _services.Time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), timeout, left, Timeout.InfiniteTimeSpan);
    }

    private ToolNesting Nesting(ToolExecutionGate gate)
    {
        var nesting = Volatile.Read(ref _nesting);
        if (nesting is null)
        {
            var made = new ToolNesting(_outerCalls, gate, _context.NestingDepth + 1);
            nesting = Interlocked.CompareExchange(ref _nesting, made, null) ?? made;
        }

        return nesting;
    }
}
