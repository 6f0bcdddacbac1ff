using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// The Dataflow graph of one reply: detect → parse → context → run → serialize (the synchronous stages share a
/// block), every link bounded and completion propagated. Stage delegates never throw: a failure becomes the item's outcome, so a block
/// faults only on a harness bug, and even then the item is reported as <c>harness_internal</c>.
/// </summary>
internal sealed class HarnessRun
{
    private readonly HarnessServices _services;
    private readonly RunIdentity _identity;
    private readonly ToolMode _mode;
    private readonly IApprovalService _approvals;
    private readonly RunEvents _events;
    private readonly DecodedReply? _decoded;
    private readonly CancellationTokenSource _run;
    private readonly CancellationToken _cancellationToken;
    private readonly ToolCallScanner _scanner = new();
    private readonly List<ReplySegment> _emitted = [];
    private int _nextIndex;
    private int _blocks;
    private readonly ReplyToolBudget _replyTools;
    private readonly CancellationTokenSource _replyDeadline;
    private readonly CancellationTokenSource _scripts;

    // The tool calls whose handler runs this reply (none when the host runs it), and so how deep it is nested.
    private readonly ToolNesting? _outerCalls;
    private readonly int _depth;

    public HarnessRun(HarnessServices services, RunOptions? options, DecodedReply? decoded, RunEvents events, CancellationToken cancellationToken)
    {
        _events = events;
        _services = services;
        _identity = options?.Identity ?? RunIdentity.NewAdHoc();
        _mode = options?.Mode ?? services.Options.Mode;
        _approvals = options?.Approvals ?? services.Approvals;
        _decoded = decoded;
        _replyTools = new ReplyToolBudget(services.Options.MaxToolCallsPerReply);

        // Read where the host (or a tool handler) asked for the run; engine threads never carry it.
        _outerCalls = ToolNesting.Current;
        _depth = _outerCalls?.Depth ?? 0;

        // One token for everything of this run: the host's, or the consumer walking away from the results.
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _cancellationToken = _run.Token;

        // Scripts stop at the host's cancellation or at the reply's deadline, whichever comes first; the two are told
        // apart afterwards so the deadline is reported as reply_limit_exceeded, not as the host's cancellation.
        _replyDeadline = new CancellationTokenSource(services.Options.MaxReplyTime, services.Time);
        _scripts = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, _replyDeadline.Token);
    }

    private ScriptLimits Limits => _services.Options.Limits;

    public async IAsyncEnumerable<ResponseItem> ExecuteAsync(IAsyncEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Two blocks, not five: detect, parse and context are cheap and synchronous, and every block boundary is a
        // thread-pool hop that cost more than the whole stage (measured ~20-40 µs a hop on 2 cores). The stages stay
        // separate functions; only the blocks are fused. Run (parallel, ordered) also builds the response item.
        var capacity = _services.Options.StageCapacity;
        var detect = new TransformManyBlock<ReplyChunk, PipelineItem>(
            chunk => Detect(chunk).Select(item => Prepare(Parse(item))),
            new ExecutionDataflowBlockOptions { BoundedCapacity = capacity, EnsureOrdered = true });
        var serialize = new TransformBlock<PipelineItem, ResponseItem>(
            item => item.Outcome is null && item.Prepared is not null ? RunAndSerializeAsync(item) : Task.FromResult(Serialize(item)),
            new ExecutionDataflowBlockOptions
            {
                BoundedCapacity = capacity,
                MaxDegreeOfParallelism = _services.Options.MaxParallelScripts,
                EnsureOrdered = true,
            });
        detect.LinkTo(serialize, new DataflowLinkOptions { PropagateCompletion = true });

        var feeding = FeedAsync(chunks, detect);
        var completed = false;
        try
        {
            while (await serialize.OutputAvailableAsync(cancellationToken).ConfigureAwait(false))
            {
                while (serialize.TryReceive(out var item))
                {
                    // Here, where items leave in reply order, not in the parallel block that builds them.
                    _events.Item(item);
                    yield return item;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await feeding.ConfigureAwait(false);
            await serialize.Completion.ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            if (completed)
            {
                _scripts.Dispose();
                _replyDeadline.Dispose();
                _run.Dispose();
            }
            else
            {
                // Stopped early (cancelled, faulted, or the consumer broke off): stop every script and tool call.
                await _run.CancelAsync().ConfigureAwait(false);
                _replyDeadline.Dispose();
            }
        }
    }

    private async Task FeedAsync(IAsyncEnumerable<string> chunks, ITargetBlock<ReplyChunk> detect)
    {
        try
        {
            await foreach (var chunk in chunks.WithCancellation(_cancellationToken).ConfigureAwait(false))
            {
                if (chunk.Length > 0 && !await detect.SendAsync(new ReplyChunk(chunk), _cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            await detect.SendAsync(ReplyChunk.End, _cancellationToken).ConfigureAwait(false);
            detect.Complete();
        }
        catch (Exception ex)
        {
            // Cancellation or a failing input source: fault the graph so the consumer sees why, never a silent end.
            detect.Fault(ex);
            throw;
        }
    }

    private List<PipelineItem> Detect(ReplyChunk chunk)
    {
        _emitted.Clear();
        try
        {
            if (chunk.IsEnd)
            {
                _scanner.Complete(_emitted);
            }
            else
            {
                _scanner.Append(chunk.Text, _emitted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _services.LogInternal(ex, "detect");
            _emitted.Add(new MalformedSegment(_nextIndex, 0, 0, string.Empty, Internal("the reply could not be read")));
        }

        if (_emitted.Count > 0)
        {
            _nextIndex = _emitted[^1].Index + 1;
        }

        return [.. _emitted.Select(s => new PipelineItem(s))];
    }

    private PipelineItem Parse(PipelineItem item)
    {
        if (item.Segment is not TextSegment && _depth > _services.Options.MaxNestingDepth)
        {
            // Every block of the reply: a sub-agent tool that recurses ends here, each block with its own result.
            return item with
            {
                Outcome = ScriptOutcome.Failed(item.Segment.Index, new ScriptError(ScriptErrorCode.NestingLimitExceeded,
                    $"this reply was run by a tool {_depth} levels deep, and replies may nest at most {_services.Options.MaxNestingDepth} deep; this block was not run")),
            };
        }

        if (item.Segment is not TextSegment && ++_blocks > _services.Options.MaxBlocksPerReply)
        {
            // Checked before validation: blocks past the cap cost nothing, yet each still gets its result.
            return item with
            {
                Outcome = ScriptOutcome.Failed(item.Segment.Index, new ScriptError(ScriptErrorCode.ReplyLimitExceeded,
                    $"the reply has more than {_services.Options.MaxBlocksPerReply} blocks; this one was not run")),
            };
        }

        try
        {
            return item.Segment switch
            {
                MalformedSegment m => item with { Outcome = ScriptOutcome.Failed(m.Index, m.Error) },
                ScriptSegment s when _decoded?.HasInvalidUtf8(s.SourceStart, s.Source.Length) == true =>
                    item with { Outcome = ScriptOutcome.Failed(s.Index, new ScriptError(ScriptErrorCode.InvalidUtf8, "the script holds bytes that are not valid UTF-8")) },
                ScriptSegment s => Validated(item, _services.Validate(s.Source)),
                _ => item,
            };
        }
        catch (Exception ex)
        {
            return Failed(item, ex, "parse");
        }
    }

    private static PipelineItem Validated(PipelineItem item, ScriptValidationResult result) =>
        result.IsValid
            ? item with { Script = result.Script }
            : item with { Outcome = ScriptOutcome.Failed(item.Segment.Index, result.Error) };

    private PipelineItem Prepare(PipelineItem item)
    {
        if (item.Outcome is not null || item.Script is null)
        {
            return item;
        }

        if (_mode == ToolMode.Disabled)
        {
            return item with { Outcome = ScriptOutcome.Skipped(item.Segment.Index) with { Sha256 = item.Script.Sha256 } };
        }

        var context = ScriptContextFactory.Create(_identity, item.Segment.Index, _mode, Limits);
        if (_depth > 0)
        {
            context = context with { NestingDepth = _depth };
        }

        return item with { Prepared = new PreparedScript(item.Script, context) };
    }

    private async Task<ResponseItem> RunAndSerializeAsync(PipelineItem item) => Serialize(await RunAsync(item).ConfigureAwait(false));

    private async Task<PipelineItem> RunAsync(PipelineItem item)
    {
        if (item.Outcome is not null || item.Prepared is null)
        {
            return item;
        }

        if (ReplyTimeIsUp)
        {
            return item with { Outcome = ReplyTimeExceeded(item) };
        }

        var events = _events.For(item.Segment.Index);
        var scriptToken = _scripts.Token;
        try
        {
            events.Started(item.Prepared.Context.ScriptId);
            using var bridge = new ScriptToolBridge(_services.Tools, item.Prepared.Context, _services.ToolServicesFor(_approvals), events, scriptToken, _replyTools, _outerCalls);
            EngineResult result;
            await using (var sandbox = await _services.Engine.CreateAsync(scriptToken).ConfigureAwait(false))
            {
                result = await sandbox.RunAsync(item.Prepared, bridge, scriptToken).ConfigureAwait(false);
            }

            var outcome = OutcomeComposer.Compose(item.Segment.Index, item.Prepared.Script.Sha256, result, bridge);
            if (!result.IsSuccess && ReplyTimeIsUp)
            {
                outcome = outcome with { Error = ReplyTimeExceeded(item).Error };
            }

            events.Completed(outcome);
            return item with { Outcome = outcome };
        }
        catch (OperationCanceledException) when (ReplyTimeIsUp)
        {
            return item with { Outcome = ReplyTimeExceeded(item) };
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            return item with { Outcome = ScriptOutcome.Failed(item.Segment.Index, new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled")) with { Sha256 = item.Prepared.Script.Sha256 } };
        }
        catch (Exception ex)
        {
            // Every result of a parsed script names its script, however it ended.
            var failed = Failed(item, ex, "run");
            return failed with { Outcome = failed.Outcome! with { Sha256 = item.Prepared.Script.Sha256 } };
        }
    }

    // Only when the host has not cancelled: then the reply's end is the host's doing, reported as cancelled.
    private bool ReplyTimeIsUp => _replyDeadline.IsCancellationRequested && !_cancellationToken.IsCancellationRequested;

    private ScriptOutcome ReplyTimeExceeded(PipelineItem item) =>
        ScriptOutcome.Failed(item.Segment.Index, new ScriptError(ScriptErrorCode.ReplyLimitExceeded,
            $"the reply ran longer than its {_services.Options.MaxReplyTime.TotalSeconds:0.###} s limit")) with { Sha256 = item.Prepared!.Script.Sha256 };

    private static ResponseItem Serialize(PipelineItem item) => item.Segment switch
    {
        TextSegment t => new TextItem(t.Index, t.Text),
        _ => new ScriptResultItem(item.Segment.Index, item.Outcome ?? ScriptOutcome.Failed(item.Segment.Index, Internal("the script produced no outcome"))),
    };

    private PipelineItem Failed(PipelineItem item, Exception ex, string stage)
    {
        _services.LogInternal(ex, stage);
        return item with { Outcome = ScriptOutcome.Failed(item.Segment.Index, Internal($"internal error in the {stage} stage")) };
    }

    private static ScriptError Internal(string message) => new(ScriptErrorCode.HarnessInternal, message);
}
