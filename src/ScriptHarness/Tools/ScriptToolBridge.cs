using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tools;

/// <summary>
/// The tool facade of one script, engine-neutral: lookup, budget, schema validation, mode, approval,
/// per-script and harness-wide concurrency, per-call timeout, and error mapping. Engines only call it.
/// </summary>
internal sealed partial class ScriptToolBridge : IToolBridge, IDisposable
{
    private readonly ToolRegistry _registry;
    private readonly ScriptContext _context;
    private readonly ToolServices _services;
    private readonly SemaphoreSlim _inFlight;
    private readonly ScriptConsole _console;
    private readonly PauseClock _pause;
    private int _calls;
    private int _accepted;

    public ScriptToolBridge(ToolRegistry registry, ScriptContext context, ToolServices services)
    {
        _registry = registry;
        _context = context;
        _services = services;
        _inFlight = new SemaphoreSlim(context.Limits.MaxConcurrentToolCalls, context.Limits.MaxConcurrentToolCalls);
        _console = new ScriptConsole(context.Limits);
        _pause = new PauseClock(services.Time);
    }

    public IReadOnlyCollection<string> ToolNames => _registry.Names;

    public TimeSpan PausedTime => _pause.Paused;

    /// <summary>Tool calls accepted (found and within budget).</summary>
    public int AcceptedCalls => Volatile.Read(ref _accepted);

    public ScriptConsole Console => _console;

    public async ValueTask<JsonNode?> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
    {
        if (!_registry.TryGet(tool, out var definition))
        {
            throw NotFound(tool);
        }

        var callNumber = Interlocked.Increment(ref _calls);
        if (callNumber > _context.Limits.MaxToolCalls)
        {
            throw new ToolException(ScriptErrorCode.ToolBudgetExceeded,
                $"tool call budget exceeded: at most {_context.Limits.MaxToolCalls} tool calls per script");
        }

        Interlocked.Increment(ref _accepted);
        var callId = $"{_context.ScriptId}#{callNumber}";

        // A call without arguments (`tools.test.counter()`, or an explicit null) is a call with an empty arguments object.
        args ??= new JsonObject();
        await _services.Validator.ValidateAsync(definition, args, cancellationToken).ConfigureAwait(false);

        if (_context.Mode == ToolMode.DryRun)
        {
            return new JsonObject { ["dryRun"] = true, ["tool"] = tool, ["callId"] = callId };
        }

        if (definition.RequiresApproval)
        {
            await ApproveAsync(definition, args, callId, cancellationToken).ConfigureAwait(false);
        }

        return await ExecuteAsync(definition, args, new ToolCallContext(callId, tool, _context), cancellationToken).ConfigureAwait(false);
    }

    public void Progress(string message) => _console.Progress(message);

    public void Log(LogLevel level, string message) => _console.Log(level, message);

    public void Dispose() => _inFlight.Dispose();

    private async ValueTask ApproveAsync(ToolDefinition tool, JsonNode? args, string callId, CancellationToken cancellationToken)
    {
        var request = new ApprovalRequest(callId, tool.Name, args?.DeepClone(), _context.ScriptId);
        ApprovalDecision decision;
        using (_pause.Begin())
        {
            decision = await _services.Approvals.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (!decision.Approved)
        {
            var reason = string.IsNullOrWhiteSpace(decision.Reason) ? string.Empty : ": " + decision.Reason;
            throw new ToolException(ScriptErrorCode.ApprovalDenied, $"the call to {tool.Name} was not approved{reason}");
        }
    }

    private async ValueTask<JsonNode?> ExecuteAsync(ToolDefinition tool, JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var lease = await _services.Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_context.Limits.ToolTimeout);
            try
            {
                return await tool.Handler(args, call, timeout.Token).ConfigureAwait(false);
            }
            catch (ScriptHarnessException)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new ScriptHarnessException(ScriptErrorCode.Cancelled, $"the call to {tool.Name} was cancelled");
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw ToolException.Execution($"{tool.Name} timed out after {_context.Limits.ToolTimeout.TotalMilliseconds:0} ms");
            }
            catch (Exception ex)
            {
                // The model sees a plain failure; the host log keeps the details.
                LogHandlerFailure(_services.Logger, tool.Name, call.CallId, ex);
                throw ToolException.Execution($"{tool.Name} failed");
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private ToolException NotFound(string tool)
    {
        var suggestions = _registry.Suggest(tool);
        var hint = suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", suggestions)}?" : string.Empty;
        return new ToolException(ScriptErrorCode.ToolNotFound, $"tool '{tool}' does not exist{hint}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed in call {CallId}")]
    private static partial void LogHandlerFailure(ILogger logger, string tool, string callId, Exception exception);
}
