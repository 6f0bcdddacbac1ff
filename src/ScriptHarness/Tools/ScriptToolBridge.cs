using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Resume;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tools;

/// <summary>
/// The tool facade of one script, engine-neutral: lookup, budget, schema validation, mode, approval,
/// per-script and harness-wide concurrency, per-call timeout, error mapping, call tracking and events.
/// Engines only call it. Running the handler itself is in <c>ScriptToolBridge.Execution.cs</c>.
/// </summary>
internal sealed partial class ScriptToolBridge : IToolBridge, IDisposable
{
    private readonly ToolRegistry _registry;
    private readonly ScriptContext _context;
    private readonly ToolServices _services;
    private readonly SemaphoreSlim _inFlight;
    private readonly ScriptConsole _console;
    private readonly PauseClock _pause;
    private readonly ToolCallTracker _tracker;
    private readonly ScriptEvents _events;

    // Null when nobody listens: a call then skips the event methods, which cost a closure each even when disabled.
    private readonly ScriptEvents? _callEvents;
    private int _calls;
    private int _refusedByReply;
    private readonly ReplyToolBudget? _replyBudget;

    private readonly CancellationToken _runToken;

    // The calls this script's reply runs inside (null for a reply the host runs), and the script's own calls as its
    // handlers see them: made at the first call, since most scripts never nest.
    private readonly ToolNesting? _outerCalls;
    private ToolNesting? _nesting;

    // Durable approvals: the block's tool-call log (and the earlier run's, when resumed); null otherwise.
    private readonly ReplayLog? _replay;

    /// <param name="registry">The tools.</param>
    /// <param name="context">The script's context.</param>
    /// <param name="services">Harness-wide tool services.</param>
    /// <param name="events">Where events go; none when null.</param>
    /// <param name="runToken">
    /// The run's own token: a call cancelled while it is not cancelled was cut off by the script's end (detached), not
    /// by the host.
    /// </param>
    /// <param name="replyBudget">The tool calls left to the whole reply; none when null.</param>
    /// <param name="outerCalls">The tool calls whose handler runs this script's reply; none when the host runs it.</param>
    /// <param name="replay">With durable approvals, the block's tool-call log; none when null.</param>
    public ScriptToolBridge(ToolRegistry registry, ScriptContext context, ToolServices services, ScriptEvents? events = null, CancellationToken runToken = default,
        ReplyToolBudget? replyBudget = null, ToolNesting? outerCalls = null, ReplayLog? replay = null)
    {
        _replay = replay;
        _outerCalls = outerCalls;
        _replyBudget = replyBudget;
        _runToken = runToken;
        _registry = registry;
        _context = context;
        _services = services;
        _events = events ?? ScriptEvents.None;
        _callEvents = ReferenceEquals(_events, ScriptEvents.None) ? null : _events;
        _inFlight = new SemaphoreSlim(context.Limits.MaxConcurrentToolCalls, context.Limits.MaxConcurrentToolCalls);
        _console = new ScriptConsole(context.Limits, services.Time, _events);
        _pause = new PauseClock(services.Time);
        _tracker = new ToolCallTracker(services.Time);
    }

    // With durable approvals the tools carry a `$replay` namespace: the wrapper's signal to read the block's clock and
    // seed from the context (a context read otherwise is work for nothing on engines that build it lazily). Never a tool.
    public IReadOnlyCollection<string> ToolNames => _replay is null ? _registry.Names : _replayNames ??= [.. _registry.Names, ReplayToolName];

    private const string ReplayToolName = "$replay.clock";
    private string[]? _replayNames;

    public TimeSpan PausedTime => _pause.Paused;

    /// <summary>Tool calls accepted (found and within budget): every numbered call up to the budget.</summary>
    public int AcceptedCalls => Math.Min(Volatile.Read(ref _calls), _context.Limits.MaxToolCalls) - Volatile.Read(ref _refusedByReply);

    public ScriptConsole Console => _console;

    /// <summary>Every call so far, with status, duration and (for succeeded calls) result.</summary>
    public IReadOnlyList<ToolCallRecord> Calls => _tracker.Snapshot();

    /// <summary>The script has ended: calls still running are detached (their late results are dropped). Returns their ids.</summary>
    public IReadOnlyList<string> Seal() => _tracker.Seal();

    public async ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
    {
        if (!_registry.TryGet(tool, out var definition) && !TryGetHarnessTool(tool, out definition))
        {
            return ToolResult.Failure(NotFound(tool));
        }

        var callNumber = Interlocked.Increment(ref _calls);
        if (callNumber > _context.Limits.MaxToolCalls)
        {
            return ToolResult.Failure(ScriptErrorCode.ToolBudgetExceeded,
                $"tool call budget exceeded: at most {_context.Limits.MaxToolCalls} tool calls per script");
        }

        if (_replyBudget is not null && !_replyBudget.TryTake())
        {
            Interlocked.Increment(ref _refusedByReply);
            return ToolResult.Failure(ScriptErrorCode.ToolBudgetExceeded,
                $"tool call budget exceeded: at most {_replyBudget.Max} tool calls per reply, across all its scripts");
        }

        var callId = $"{_context.ScriptId}#{callNumber}";
        var call = _tracker.Start(callId, tool);
        _callEvents?.CallStarted(callId, tool);
        try
        {
            var result = _replay is null
                ? await RunCallAsync(definition, args, callId, callNumber, cancellationToken).ConfigureAwait(false)
                : await RunLoggedCallAsync(_replay, definition, args, callId, callNumber, cancellationToken).ConfigureAwait(false);
            Finish(call, _context.Mode == ToolMode.DryRun ? ToolCallStatus.DryRun : ToolCallStatus.Succeeded, result, null);
            return ToolResult.Success(result);
        }
        catch (ScriptHarnessException ex)
        {
            // Validation, approval and the handler's own typed failures: thrown inside the facade, a value at its edge.
            if (_replay?.Suspended?.Position == callNumber)
            {
                // The block suspends at this call: it did not fail, it waits for a decision (the script alone sees a refusal).
                Finish(call, ToolCallStatus.Suspended, null, null);
                return ToolResult.Failure(ex.Error);
            }

            Finish(call, ex.Error.Code == ScriptErrorCode.Cancelled ? CancelledStatus : ToolCallStatus.Failed, null, ex.Error);
            return ToolResult.Failure(ex.Error);
        }
        catch (OperationCanceledException)
        {
            var error = new ScriptError(ScriptErrorCode.Cancelled, $"the call to {tool} was cancelled");
            Finish(call, CancelledStatus, null, error);
            return ToolResult.Failure(error);
        }
        catch (Exception ex)
        {
            // A harness defect: still a tracked, typed failure.
            LogHandlerFailure(_services.Logger, tool, callId, ex);
            var error = new ScriptError(ScriptErrorCode.HarnessInternal, $"internal error while calling {tool}");
            Finish(call, ToolCallStatus.Failed, null, error);
            return ToolResult.Failure(error);
        }
    }

    private async ValueTask<JsonNode?> RunLoggedCallAsync(ReplayLog replay, ToolDefinition definition, JsonNode? args, string callId, int position, CancellationToken cancellationToken)
    {
        args ??= new JsonObject();
        var hash = ReplayLog.Hash(args);
        if (replay.Before(position, definition.Name, hash) is { } logged)
        {
            // Answered from the earlier run's log: the handler is not called again. Logged again, for a later suspension.
            replay.Completed(logged);
            return logged.Error is { } error ? throw new ToolException(error.Code, error.Message) : logged.Result?.DeepClone();
        }

        try
        {
            var result = await RunCallAsync(definition, args, callId, position, cancellationToken).ConfigureAwait(false);
            replay.Completed(new LoggedCall(position, definition.Name, hash, result?.DeepClone(), null));
            return result;
        }
        catch (ScriptHarnessException ex) when (ex.Error.Code != ScriptErrorCode.Cancelled && replay.Suspended?.Position != position)
        {
            replay.Completed(new LoggedCall(position, definition.Name, hash, null, ex.Error));
            throw;
        }
    }

    private async ValueTask<JsonNode?> RunCallAsync(ToolDefinition definition, JsonNode? args, string callId, int position, CancellationToken cancellationToken)
    {
        // A call without arguments (`tools.test.counter()`, or an explicit null) is a call with an empty arguments object.
        args ??= new JsonObject();
        var validation = _services.Validator.ValidateAsync(definition, args, cancellationToken);
        if (!validation.IsCompletedSuccessfully)
        {
            await validation.ConfigureAwait(false); // throws for invalid arguments; waits for a schema NJsonSchema loads
        }

        if (_context.Mode == ToolMode.DryRun)
        {
            // The documented dry-run marker: the handler is not called.
            return new JsonObject { ["dryRun"] = true, ["tool"] = definition.Name, ["callId"] = callId };
        }

        if (definition.RequiresApproval || (!definition.IsHarnessTool && PolicyRequiresApproval(definition.Name, args)))
        {
            await ApproveAsync(definition, args, callId, position, cancellationToken).ConfigureAwait(false);
        }

        return await ExecuteAsync(definition, args, new ToolCallContext(callId, definition.Name, _context), cancellationToken).ConfigureAwait(false);
    }

    private bool TryGetHarnessTool(string tool, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? definition)
    {
        definition = null;
        return _services.HarnessTools is { } harness && harness.TryGet(tool, out definition);
    }

    private ToolCallStatus CancelledStatus => _runToken.IsCancellationRequested ? ToolCallStatus.Cancelled : ToolCallStatus.Detached;

    private void Finish(ToolCallTracker.Entry call, ToolCallStatus status, JsonNode? result, ScriptError? error)
    {
        _tracker.Complete(call, status, result, error);
        if (call.Status == ToolCallStatus.Detached)
        {
            LogLateCompletion(_services.Logger, call.CallId, call.Tool);
        }

        _callEvents?.CallCompleted(call.CallId, call.Tool, call.Status, call.Error, _services.Time.GetElapsedTime(call.Started));
    }

    public void Progress(string message) => _console.Progress(message);

    public void Log(LogLevel level, string message) => _console.Log(level, message);

    public void Dispose() => _inFlight.Dispose();

    private async ValueTask ApproveAsync(ToolDefinition tool, JsonNode? args, string callId, int position, CancellationToken cancellationToken)
    {
        // A person sees a sanitized copy (secrets redacted, long values cut); the handler gets the real arguments.
        var request = new ApprovalRequest(callId, tool.Name, ApprovalSanitizer.Sanitize(args), _context.ScriptId) { Target = tool.ApprovalTarget?.Invoke(args) };
        ApprovalDecision decision;
        var asked = _services.Time.GetTimestamp();
        if (_replay?.DecisionFor(position) is { } decided)
        {
            // Resumed at this call: the decision came with ResumeAsync.
            decision = decided;
        }
        else if (_replay is not null && _outerCalls is not null)
        {
            // A nested reply cannot suspend: the outer call running it is under way, and a replay of the outer block would
            // run its handler again — a fresh nested reply, not this one. Refused, and said so (see ApprovalUnavailable).
            throw new ToolException(ScriptErrorCode.ApprovalUnavailable,
                $"the call to {tool.Name} needs approval, which a reply run inside a tool call cannot wait for with durable approvals");
        }
        else if (_replay is { } replay)
        {
            // Durable: nobody waits. The block ends suspended at this call (see RunStage); the script sees a refusal.
            _events.ApprovalRequested(request);
            replay.Suspend(new PendingCall(position, callId, tool.Name, ReplayLog.Hash(args), request.Arguments));
            throw new ToolException(ScriptErrorCode.ApprovalDenied, $"the call to {tool.Name} waits for approval; this block is suspended");
        }
        else
        {
            decision = await RequestApprovalAsync(request, asked, cancellationToken).ConfigureAwait(false);
        }

        _events.ApprovalResolved(callId, decision.Approved, decision.Reason, _services.Time.GetElapsedTime(asked));

        if (!decision.Approved)
        {
            var reason = string.IsNullOrWhiteSpace(decision.Reason) ? string.Empty : ": " + decision.Reason;
            throw new ToolException(ScriptErrorCode.ApprovalDenied, $"the call to {tool.Name} was not approved{reason}");
        }
    }

    private async ValueTask<ApprovalDecision> RequestApprovalAsync(ApprovalRequest request, long asked, CancellationToken cancellationToken)
    {
        ApprovalDecision decision;
        var callId = request.RequestId;
        _events.ApprovalRequested(request);
        using (_pause.Begin())
        {
            try
            {
                decision = await _services.Approvals.RequestAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var reason = ex is ScriptHarnessException h ? h.Error.WireCode : "withdrawn";
                _events.ApprovalResolved(callId, false, reason, _services.Time.GetElapsedTime(asked));
                throw;
            }
        }

        return decision;
    }

    private bool PolicyRequiresApproval(string tool, JsonNode? args)
    {
        if (_services.Policy is not { } policy)
        {
            return false;
        }

        try
        {
            return policy(tool, args);
        }
        catch (Exception ex)
        {
            // A broken policy must not let the call through, nor show host details to the model.
            LogPolicyFailure(_services.Logger, tool, ex);
            throw new ScriptHarnessException(ScriptErrorCode.HarnessInternal, $"the approval policy failed for {tool}", ex);
        }
    }

    private ScriptError NotFound(string tool)
    {
        var suggestions = _registry.Suggest(tool);
        var hint = suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", suggestions)}?" : string.Empty;
        return new ScriptError(ScriptErrorCode.ToolNotFound, $"tool '{tool}' does not exist{hint}");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tool call {CallId} ({Tool}) ended after its script; its result was dropped")]
    private static partial void LogLateCompletion(ILogger logger, string callId, string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed in call {CallId}")]
    private static partial void LogHandlerFailure(ILogger logger, string tool, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The approval policy failed for tool {Tool}")]
    private static partial void LogPolicyFailure(ILogger logger, string tool, Exception exception);
}
