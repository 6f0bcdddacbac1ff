using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Telemetry;

/// <summary>
/// A harness that records what the harness it wraps does: a span per reply (<c>scriptharness.reply</c>) and per resume
/// (<c>scriptharness.resume</c>), and the
/// metrics (scripts by status and code, script duration, tool calls by tool and status, approvals by outcome, limit
/// hits). When nothing listens, each call goes straight to the inner harness.
/// </summary>
/// <remarks>The script and tool-call spans come from the engine layer, <see cref="TelemetryScriptEngineFactory"/>, which
/// finds the reply span by the run's identity.</remarks>
public sealed class TelemetryScriptHarness : IScriptHarness
{
    private readonly IScriptHarness _inner;
    private readonly ScriptHarnessTelemetry _telemetry;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public TelemetryScriptHarness(IScriptHarness inner, ScriptHarnessTelemetry telemetry)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));
    }

    // The observed paths pass their input as state to static lambdas: a lambda capturing a parameter would make the
    // compiler allocate its closure on entry to the member, on the idle path too.

    /// <inheritdoc />
    /// <remarks>Recorded like a run: a <c>scriptharness.resume</c> span and the same metrics (see <see cref="ResumeEventsAsync"/>).</remarks>
    public Task<ScriptOutcome> ResumeAsync(string token, ApprovalDecision decision, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? ObservedOutcomeAsync(ObserveResume(token, decision, options, cancellationToken), cancellationToken)
            : _inner.ResumeAsync(token, decision, options, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A span per resume (<c>scriptharness.resume</c>, with the block's conversation id once the token is found, and its
    /// outcome's <c>scriptharness.status</c> and <c>error.type</c>), the parent of the script's span; the script, its tool
    /// calls and the decision are counted as in a run.
    /// </remarks>
    public IAsyncEnumerable<HarnessEvent> ResumeEventsAsync(string token, ApprovalDecision decision, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? ObserveResume(token, decision, options, cancellationToken)
            : _inner.ResumeEventsAsync(token, decision, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? Items(Observe(reply, static (h, r, o, t) => h.RunEventsAsync(r, o, t), options, cancellationToken), cancellationToken)
            : _inner.RunAsync(reply, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? ObserveItems(utf8Reply, options, cancellationToken)
            : _inner.RunAsync(utf8Reply, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? Items(Observe(chunks, static (h, c, o, t) => h.RunStreamingEventsAsync(c, o, t), options, cancellationToken), cancellationToken)
            : _inner.RunStreamingAsync(chunks, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? Items(Observe(chunks, static (h, c, o, t) => h.RunStreamingEventsAsync(c.ReadAllAsync(t), o, t), options, cancellationToken), cancellationToken)
            : _inner.RunStreamingAsync(chunks, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? Observe(reply, static (h, r, o, t) => h.RunEventsAsync(r, o, t), options, cancellationToken)
            : _inner.RunEventsAsync(reply, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.HarnessEnabled
            ? Observe(chunks, static (h, c, o, t) => h.RunStreamingEventsAsync(c, o, t), options, cancellationToken)
            : _inner.RunStreamingEventsAsync(chunks, options, cancellationToken);

    private static async IAsyncEnumerable<ResponseItem> Items(IAsyncEnumerable<HarnessEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e is ResponseItemEvent item)
            {
                yield return item.Item;
            }
        }
    }

    private static async Task<ScriptOutcome> ObservedOutcomeAsync(IAsyncEnumerable<HarnessEvent> events, CancellationToken cancellationToken)
    {
        ScriptOutcome? outcome = null;
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e is ResponseItemEvent { Item: ScriptResultItem result })
            {
                outcome = result.Outcome;
            }
        }

        return outcome ?? throw new InvalidOperationException("the resumed block gave no result");
    }

    private async IAsyncEnumerable<HarnessEvent> ObserveResume(string token, ApprovalDecision decision, RunOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Started before the token is read, so the script's span (engine layer) has it as its ambient parent.
        using var resume = new ReplyScope(_telemetry, null, TelemetryNames.ResumeSpan);
        await foreach (var e in _inner.ResumeEventsAsync(token, decision, options, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ScriptResumedEvent resumed:
                    resume.Identify(resumed.Identity);
                    break;
                case ResponseItemEvent { Item: ScriptResultItem result }:
                    resume.Script(result.Outcome, calls: false);
                    resume.Outcome(result.Outcome);
                    break;
                case ToolCallCompletedEvent call:
                    resume.ToolCall(call.CallId, call.Tool, call.Status, call.Error);
                    break;
                case ApprovalResolvedEvent approval:
                    resume.Approval(approval.RequestId, approval.Approved, approval.Reason);
                    break;
                case RunCancelledEvent:
                    resume.Cancelled();
                    break;
            }

            yield return e;
        }
    }

    private async IAsyncEnumerable<HarnessEvent> Observe<TInput>(TInput input,
        Func<IScriptHarness, TInput, RunOptions, CancellationToken, IAsyncEnumerable<HarnessEvent>> run, RunOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reply = new ReplyScope(_telemetry, options);
        await foreach (var e in run(_inner, input, reply.Options, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ResponseItemEvent { Item: ScriptResultItem result }:
                    reply.Script(result.Outcome, calls: false);
                    break;
                case ToolCallCompletedEvent call:
                    reply.ToolCall(call.CallId, call.Tool, call.Status, call.Error);
                    break;
                case ApprovalResolvedEvent approval:
                    reply.Approval(approval.RequestId, approval.Approved, approval.Reason);
                    break;
                case RunCancelledEvent:
                    reply.Cancelled();
                    break;
            }

            yield return e;
        }
    }

    // The UTF-8 overload has no event stream: tool calls are counted from the outcomes, approvals are not seen.
    private async IAsyncEnumerable<ResponseItem> ObserveItems(ReadOnlyMemory<byte> utf8Reply, RunOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reply = new ReplyScope(_telemetry, options);
        await foreach (var item in _inner.RunAsync(utf8Reply, reply.Options, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (item is ScriptResultItem result)
            {
                reply.Script(result.Outcome, calls: true);
            }

            yield return item;
        }
    }

    /// <summary>One reply's (or one resume's) span and records.</summary>
    private sealed class ReplyScope : IDisposable
    {
        private readonly ScriptHarnessTelemetry _telemetry;
        private readonly Activity? _activity;
        private readonly string? _key;
        private int _scripts;

        public ReplyScope(ScriptHarnessTelemetry telemetry, RunOptions? options, string span = TelemetryNames.ReplySpan)
        {
            _telemetry = telemetry;
            _activity = telemetry.Source.StartActivity(span);
            if (span != TelemetryNames.ReplySpan)
            {
                // A resume: the identity is the suspended block's, known once the harness has read the token (Identify).
                Options = options ?? new RunOptions();
                return;
            }

            // The identity is fixed here, not by the harness, so the engine layer can find this span from each script.
            var identity = options?.Identity ?? RunIdentity.NewAdHoc();
            Options = (options ?? new RunOptions()) with { Identity = identity };
            _key = TelemetryNames.ReplyKey(identity);
            if (_activity is not null)
            {
                _activity.SetTag(TelemetryNames.ConversationId, identity.ConversationId);
                telemetry.Replies[_key] = _activity.Context;
            }
        }

        public RunOptions Options { get; }

        public void Identify(RunIdentity identity) => _activity?.SetTag(TelemetryNames.ConversationId, identity.ConversationId);

        /// <summary>The outcome of a resume's one block, on its span.</summary>
        public void Outcome(ScriptOutcome outcome)
        {
            if (_activity is null)
            {
                return;
            }

            _activity.SetTag(TelemetryNames.Status, TelemetryNames.Wire(outcome.Status));
            if (outcome.Error is { } error)
            {
                _activity.SetTag(TelemetryNames.ErrorType, error.WireCode);
                _activity.SetStatus(ActivityStatusCode.Error, error.WireCode);
            }
        }

        public void Script(ScriptOutcome outcome, bool calls)
        {
            _scripts++;
            var status = TelemetryNames.Wire(outcome.Status);
            var code = outcome.Error?.WireCode;
            var tags = new TagList { { TelemetryNames.Status, status } };
            if (code is not null)
            {
                tags.Add(TelemetryNames.ErrorType, code);
            }

            _telemetry.Scripts.Add(1, tags);
            if (outcome.Status != ScriptStatus.Skipped)
            {
                _telemetry.ScriptDuration.Record(outcome.Duration.TotalSeconds, tags);
            }

            TelemetryLog.ScriptCompleted(_telemetry.Logger, outcome.Index, status, code, outcome.Duration.TotalMilliseconds, outcome.ToolCalls);
            if (outcome.Error is { } error && TelemetryNames.IsLimit(error.Code))
            {
                _telemetry.LimitHits.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Limit, error.WireCode));
                TelemetryLog.LimitHit(_telemetry.Logger, outcome.Index, error.WireCode);
            }

            if (calls)
            {
                foreach (var call in outcome.Calls)
                {
                    ToolCall(call.CallId, call.Tool, call.Status, call.Error);
                }
            }
        }

        public void ToolCall(string callId, string tool, ToolCallStatus status, ScriptError? error)
        {
            var wire = TelemetryNames.Wire(status);
            _telemetry.ToolCalls.Add(1, new KeyValuePair<string, object?>(TelemetryNames.ToolName, tool), new KeyValuePair<string, object?>(TelemetryNames.Status, wire));
            TelemetryLog.ToolCallCompleted(_telemetry.Logger, callId, tool, wire, error?.WireCode);
        }

        public void Approval(string requestId, bool approved, string? reason)
        {
            // A request that ended without a decision carries the wire code of why (see ScriptToolBridge).
            var outcome = approved ? "approved"
                : reason == ScriptErrorCodes.ToCode(ScriptErrorCode.ApprovalTimeout) ? "timeout"
                : reason == "withdrawn" ? "withdrawn"
                : "denied";
            _telemetry.Approvals.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Outcome, outcome));
            TelemetryLog.ApprovalResolved(_telemetry.Logger, requestId, outcome);
        }

        public void Cancelled() => _activity?.SetStatus(ActivityStatusCode.Error, "cancelled");

        public void Dispose()
        {
            if (_key is not null)
            {
                _telemetry.Replies.TryRemove(_key, out _);
            }

            if (_activity is not null)
            {
                _activity.SetTag(TelemetryNames.Scripts, _scripts);
                _activity.Dispose();
            }
        }
    }
}
