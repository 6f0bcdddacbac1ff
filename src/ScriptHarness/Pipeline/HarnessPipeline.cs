using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Resume;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.State;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>The harness: runs model replies through the Dataflow pipeline on one engine with one set of tools.</summary>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of their first parameter (a string, UTF-8 bytes, a stream of chunks, a channel), so no call can bind to two of them; optional options and token keep every call site short, as in M.E.AI.")]
public sealed class HarnessPipeline : IScriptHarness, IDisposable
{
    private readonly HarnessServices _services;

    /// <summary>Creates a harness; <paramref name="options"/> are validated here and every problem is reported at once.</summary>
    /// <param name="options">Limits and settings.</param>
    /// <param name="engine">The engine scripts run on.</param>
    /// <param name="tools">The tools scripts may call; none when null.</param>
    /// <param name="approvals">Who approves calls that need it; everything is denied when null.</param>
    /// <param name="logger">Where internal failures are logged.</param>
    /// <param name="timeProvider">The clock for tool timing, rate limits and events; the system clock when null.</param>
    /// <param name="approvalPolicy">
    /// Also asks for approval of calls to tools that do not require it themselves, decided from the tool's name and
    /// arguments; only <see cref="ToolDefinition.RequiresApproval"/> counts when null.
    /// </param>
    /// <param name="stateStore">
    /// Where scripts keep state across blocks, replies and host instances with <c>store</c>/<c>load</c> (limits in
    /// <see cref="ScriptHarnessOptions.State"/>); scripts get <c>state_unavailable</c> when null.
    /// </param>
    /// <exception cref="ConfigurationException">The options are invalid, or the engine's name does not match.</exception>
    public HarnessPipeline(
        ScriptHarnessOptions options,
        IScriptEngineFactory engine,
        ToolRegistry? tools = null,
        IApprovalService? approvals = null,
        ILogger<HarnessPipeline>? logger = null,
        TimeProvider? timeProvider = null,
        ApprovalPolicy? approvalPolicy = null,
        IScriptStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        var problems = options.Validate().ToList();
        if (!string.Equals(options.Engine, engine.Name, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Engine '{options.Engine}' was asked for but the engine given is '{engine.Name}'");
        }

        if (options.Isolation is { } isolation && isolation == EngineIsolation.Process != engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated))
        {
            problems.Add($"Isolation {isolation} was asked for but engine '{engine.Name}' runs {(isolation == EngineIsolation.Process ? "in this process" : "in worker processes")}");
        }

        if (options.DurableApprovals && stateStore is null)
        {
            problems.Add("DurableApprovals needs a state store to keep suspended runs in");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        _services = new HarnessServices(options, engine, tools ?? ToolRegistry.Empty,
            approvals ?? FixedApprovalService.DenyAll, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System, approvalPolicy, stateStore);
    }

    /// <summary>The options in force.</summary>
    public ScriptHarnessOptions Options => _services.Options;

    /// <summary>The engine scripts run on.</summary>
    public IScriptEngineFactory Engine => _services.Engine;

    /// <summary>The tools scripts may call.</summary>
    public ToolRegistry Tools => _services.Tools;

    /// <summary>
    /// A snapshot of this harness's tool handlers: running now, abandoned past their time limit (now and in total),
    /// calls refused because too many were abandoned, and the threads kept for handlers that may block.
    /// </summary>
    public ToolExecutionStatistics ToolStatistics => _services.ToolStatistics;

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(reply);
        return Results(One(reply), null, options, RunEvents.None, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        var decoded = Decode(utf8Reply);
        return Results(One(decoded.Text), decoded, options, RunEvents.None, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(chunks);
        return Results(chunks, null, options, RunEvents.None, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return RunStreamingAsync(chunks.ReadAllAsync(cancellationToken), options, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(reply);
        return Events(One(reply), null, options, cancellationToken);
    }

    /// <summary>
    /// The event stream of a reply given as UTF-8 bytes: the events of <see cref="RunEventsAsync(string, RunOptions?, CancellationToken)"/>
    /// with the items of <see cref="RunAsync(ReadOnlyMemory{byte}, RunOptions?, CancellationToken)"/> (a block holding
    /// invalid UTF-8 fails with <c>invalid_utf8</c>, a byte order mark is dropped).
    /// </summary>
    /// <param name="utf8Reply">The reply as the model sent it.</param>
    /// <param name="options">Identity, tool mode and approvals for this run.</param>
    /// <param name="cancellationToken">Stops every running script and tool call.</param>
    public IAsyncEnumerable<HarnessEvent> RunEventsAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        var decoded = Decode(utf8Reply);
        return Events(One(decoded.Text), decoded, options, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(chunks);
        return Events(chunks, null, options, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ScriptOutcome> ResumeAsync(string token, ApprovalDecision decision, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(decision);
        return ResumeCoreAsync(token, decision, options, RunEvents.None, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HarnessEvent> ResumeEventsAsync(string token, ApprovalDecision decision, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        _services.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(decision);
        return ResumeEvents(token, decision, options, cancellationToken);
    }

    private IAsyncEnumerable<HarnessEvent> ResumeEvents(string token, ApprovalDecision decision, RunOptions? options, CancellationToken cancellationToken) =>
        Stream((events, _, stop) => ResumeCoreAsync(token, decision, options, events, stop), cancellationToken);

    private async Task<ScriptOutcome> ResumeCoreAsync(string token, ApprovalDecision decision, RunOptions? options, RunEvents events, CancellationToken cancellationToken)
    {
        var outcome = await TakeAndReplayAsync(token, decision, options, events, cancellationToken).ConfigureAwait(false);
        events.Item(new ScriptResultItem(outcome.Index, outcome));
        return outcome;
    }

    private async Task<ScriptOutcome> TakeAndReplayAsync(string token, ApprovalDecision decision, RunOptions? options, RunEvents events, CancellationToken cancellationToken)
    {
        if (!_services.Options.DurableApprovals || _services.StateStore is not { } store)
        {
            return ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "this harness keeps no suspended blocks: DurableApprovals is off"));
        }

        ResumeRecord? record;
        ScriptError? error;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_services.Options.State.StoreTimeout);
            (record, error) = await ResumeRecord.TakeAsync(store, token, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _services.LogInternal(ex, "resume");
            return ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.StateStoreFailed, "the state store could not be read to resume the block"));
        }

        if (record is null)
        {
            return ScriptOutcome.Failed(0, error!);
        }

        var validated = _services.Validate(record.Source);
        if (!validated.IsValid || !string.Equals(validated.Script.Sha256, record.Sha256, StringComparison.Ordinal))
        {
            return ScriptOutcome.Failed(record.Index, new ScriptError(ScriptErrorCode.ReplayDiverged, "the suspended script no longer validates the same way, so it cannot be replayed"))
                with { Sha256 = record.Sha256 };
        }

        events.Write((record.Index, record.Identity), static (now, r) => new ScriptResumedEvent(r.Index, now, r.Identity));
        var context = ScriptContextFactory.Create(record.Identity, record.Index, record.Mode, _services.Options.Limits) with { ConversationGiven = record.ConversationGiven };
        var item = new PipelineItem.Ready(record.Index, new PreparedScript(validated.Script, context));
        using var deadline = new CancellationTokenSource(_services.Options.MaxReplyTime, _services.Time);
        using var scripts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _services.Disposing);
        var stage = new RunStage(_services, events, options?.Approvals ?? _services.Approvals, null, cancellationToken, deadline.Token, scripts.Token,
            resumed: ReplayLog.Resumed(record, decision));
        return await stage.RunAsync(item).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops every run still going — its scripts and tool calls end as <c>cancelled</c>, and its blocks not yet started
    /// do not run — and releases the threads kept for tool handlers. Runs and resumes asked for afterwards throw
    /// <see cref="ObjectDisposedException"/>. The engine is the caller's to dispose.
    /// </summary>
    public void Dispose() => _services.Dispose();

    private IAsyncEnumerable<ResponseItem> Results(
        IAsyncEnumerable<string> chunks, DecodedReply? decoded, RunOptions? options, RunEvents events, CancellationToken cancellationToken) =>
        new HarnessRun(_services, options, decoded, events, cancellationToken).ExecuteAsync(chunks, cancellationToken);

    private IAsyncEnumerable<HarnessEvent> Events(
        IAsyncEnumerable<string> chunks, DecodedReply? decoded, RunOptions? options, CancellationToken cancellationToken = default) =>
        Stream(
            async (events, next, stop) =>
            {
                await foreach (var item in Results(chunks, decoded, options, events, stop).ConfigureAwait(false))
                {
                    // Each item already went out as a ResponseItemEvent.
                    next.Value = item.Index + 1;
                }
            },
            cancellationToken);

    /// <summary>
    /// The event stream of a run or a resume: <paramref name="drive"/> writes its events and keeps the index the next
    /// block would have had, which a cancelled stream's last event (<see cref="RunCancelledEvent"/>) reports.
    /// </summary>
    private async IAsyncEnumerable<HarnessEvent> Stream(
        Func<RunEvents, StrongBox<int>, CancellationToken, Task> drive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Stryker disable once Initializer,Boolean : equivalent; SingleReader only picks the channel's faster implementation for one reader
        var channel = Channel.CreateUnbounded<HarnessEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var driver = DriveAsync(run.Token);
        try
        {
            // The channel completes with the run's exception, if any, which ReadAllAsync rethrows here. Read to the end
            // even when cancelled: the driver stops at once and its last event says so (RunCancelledEvent).
            await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            await run.CancelAsync().ConfigureAwait(false);
            await driver.ConfigureAwait(false);
        }

        async Task DriveAsync(CancellationToken stop)
        {
            var next = new StrongBox<int>(0);
            try
            {
                await drive(new RunEvents(channel.Writer, _services.Time), next, stop).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    channel.Writer.TryWrite(new RunCancelledEvent(next.Value, _services.Time.GetUtcNow()));
                }

                channel.Writer.TryComplete(ex);
            }
        }
    }

    // UTF-8 takes at most three bytes for a UTF-16 code unit, so a reply of more bytes than three for each character the
    // limit allows is over it whatever it holds: only that much is decoded, enough for the feed to find it too long.
    private DecodedReply Decode(ReadOnlyMemory<byte> utf8Reply)
    {
        var enough = (3 * _services.Options.MaxReplyLength) + 3;
        return ReplyDecoder.Decode(utf8Reply.Length > enough ? utf8Reply.Span[..enough] : utf8Reply.Span);
    }

    private static async IAsyncEnumerable<string> One(string text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);

        // Stryker disable once Statement : equivalent; a cancelled run's feed refuses the chunk at the detect stage anyway, this only spares the hop
        cancellationToken.ThrowIfCancellationRequested();
        yield return text;
    }
}
