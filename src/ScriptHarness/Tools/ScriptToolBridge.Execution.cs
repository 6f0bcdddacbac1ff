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
        try
        {
            await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            holdsSlot = true;

            // One token tells the handler to stop: at its time limit, or when the script ends or the run is cancelled.
            timeout = new CancellationTokenSource(limit, _services.Time);
            using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
            var pending = tool.NonBlocking
                ? tool.Handler(args, call, timeout.Token)
                : new ValueTask<JsonNode?>(gate.Threads.Run(tool.Handler, args, call, timeout.Token));

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
                    gate.ExitWhenStopped(handler, tool.Name, call.CallId);
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

            timeout?.Dispose();
            _inFlight.Release();
        }
    }
}
