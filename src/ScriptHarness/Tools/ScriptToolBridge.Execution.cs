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

            // One token tells the handler to stop: at its time limit, or when the script ends or the run is cancelled.
            timeout = new CancellationTokenSource(limit, _services.Time);
            using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
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
            }
            else
            {
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
