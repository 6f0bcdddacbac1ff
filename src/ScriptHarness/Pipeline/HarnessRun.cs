using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;
using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// One reply's run: the stages (<see cref="DetectStage"/>, <see cref="ParseStage"/>, <see cref="PrepareStage"/>,
/// <see cref="RunStage"/>) wired as a TPL Dataflow graph of two blocks, every link bounded and completion propagated.
/// Stages never throw: a failure becomes the block's result, so a block faults only on a harness bug.
/// </summary>
internal sealed class HarnessRun
{
    private readonly HarnessServices _services;
    private readonly RunEvents _events;
    private readonly CancellationTokenSource _run;
    private readonly CancellationTokenSource _replyDeadline;
    private readonly CancellationTokenSource _scripts;
    private readonly DetectStage _detect;
    private readonly ParseStage _parse;
    private readonly PrepareStage _prepare;
    private readonly RunStage _runStage;
    private readonly ReplyStateOrder _stateOrder = new();

    public HarnessRun(HarnessServices services, RunOptions? options, DecodedReply? decoded, RunEvents events, CancellationToken cancellationToken)
    {
        _services = services;
        _events = events;

        // Read where the host (or a tool handler) asked for the run; engine threads never carry it. The tool calls
        // whose handler runs this reply (none when the host runs it) say how deep it is nested.
        var outerCalls = ToolNesting.Current;
        var depth = outerCalls?.Depth ?? 0;

        // One token for everything of this run: the host's, or the consumer walking away from the results.
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Scripts stop at the host's cancellation or at the reply's deadline, whichever comes first; the two are told
        // apart afterwards so the deadline is reported as reply_limit_exceeded, not as the host's cancellation.
        _replyDeadline = new CancellationTokenSource(services.Options.MaxReplyTime, services.Time);
        _scripts = CancellationTokenSource.CreateLinkedTokenSource(_run.Token, _replyDeadline.Token);

        _detect = new DetectStage(services);
        _parse = new ParseStage(services, depth, decoded);
        _prepare = new PrepareStage(options?.Identity ?? RunIdentity.NewAdHoc(), options?.Mode ?? services.Options.Mode, services.Options.Limits, depth,
            conversationGiven: !string.IsNullOrWhiteSpace(options?.Identity?.ConversationId));
        _runStage = new RunStage(services, events, options?.Approvals ?? services.Approvals, outerCalls, _run.Token, _replyDeadline.Token, _scripts.Token, _stateOrder);
    }

    public async IAsyncEnumerable<ResponseItem> ExecuteAsync(IAsyncEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var capacity = _services.Options.StageCapacity;
        var detectParsePrepare = new TransformManyBlock<ReplyChunk, PipelineItem>(
            DetectParsePrepare,
            new ExecutionDataflowBlockOptions { BoundedCapacity = capacity });
        var runAndRespond = new TransformBlock<PipelineItem, ResponseItem>(
            RunAndRespondAsync,
            new ExecutionDataflowBlockOptions
            {
                BoundedCapacity = capacity,
                MaxDegreeOfParallelism = _services.Options.MaxParallelScripts,
                EnsureOrdered = true,
            });
        detectParsePrepare.LinkTo(runAndRespond, new DataflowLinkOptions { PropagateCompletion = true });

        // The harness's disposal stops this run too. Registered while it runs, and only then: a registration on the
        // harness's token outlives every run that would not take it back (one never enumerated, one broken off).
        using var disposal = _services.Disposing.UnsafeRegister(static run => ((HarnessRun)run!).StopForDisposal(), this);

        var feeding = FeedAsync(chunks, detectParsePrepare);
        var completed = false;
        try
        {
            while (await runAndRespond.OutputAvailableAsync(cancellationToken).ConfigureAwait(false))
            {
                while (runAndRespond.TryReceive(out var item))
                {
                    // Here, where items leave in reply order, not in the parallel block that builds them.
                    _events.Item(item);
                    yield return item;
                }
            }

            // Stryker disable once Statement : equivalent; cancelled, the feed has faulted the graph with the same cancellation, which the next line throws
            cancellationToken.ThrowIfCancellationRequested();
            await feeding.ConfigureAwait(false);
            await runAndRespond.Completion.ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            // Stryker disable Statement : equivalent; disposing a source no one waits on any more (a finished run's, a timer's) changes nothing a caller can see
            if (completed)
            {
                _scripts.Dispose();
                _replyDeadline.Dispose();
                _run.Dispose();
            }
            else
            {
                // Stryker restore Statement
                // Stopped early (cancelled, faulted, or the consumer broke off): stop every script and tool call.
                await _run.CancelAsync().ConfigureAwait(false);
                // Stryker disable once Statement : equivalent; see above
                _replyDeadline.Dispose();
            }
        }
    }

    private void StopForDisposal()
    {
        try
        {
            _run.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended between the disposal and this: there is nothing left to stop.
        }
        catch (AggregateException ex)
        {
            _services.LogInternal(ex, "dispose");
        }
    }

    private async Task FeedAsync(IAsyncEnumerable<string> chunks, ITargetBlock<ReplyChunk> detect)
    {
        var token = _run.Token;
        var end = ReplyChunk.End;
        try
        {
            var room = _services.Options.MaxReplyLength;
            await foreach (var chunk in chunks.WithCancellation(token).ConfigureAwait(false))
            {
                // Counted before it is passed on: the reply is scanned up to the limit, wherever its chunks break (so a
                // whole reply and a streamed one end the same), and its source is read no further.
                if (chunk.Length > room)
                {
                    if (room > 0 && !await detect.SendAsync(new ReplyChunk(chunk[..room]), token).ConfigureAwait(false))
                    {
                        return;
                    }

                    end = ReplyChunk.Overflow;
                    break;
                }

                room -= chunk.Length;

                // Stryker disable once Equality : equivalent; an empty chunk completes no segment, and skipping it saves a block hop
                if (chunk.Length > 0 && !await detect.SendAsync(new ReplyChunk(chunk), token).ConfigureAwait(false))
                {
                    return;
                }
            }

            await detect.SendAsync(end, token).ConfigureAwait(false);
            detect.Complete();
        }
        catch (Exception ex)
        {
            // Cancellation or a failing input source: fault the graph so the consumer sees why, never a silent end.
            detect.Fault(ex);
            throw;
        }
    }

    // Fused: detect, parse and prepare share one block. They are cheap and synchronous, and every block boundary is a
    // thread-pool hop that cost more than the whole stage (measured ~20-40 µs a hop on 2 cores). Parse and prepare run
    // item by item as the block takes the items, so an item can move on before the next one is validated. A chunk that
    // completes no segment (most chunks of a stream) allocates nothing here.
    private IEnumerable<PipelineItem> DetectParsePrepare(ReplyChunk chunk)
    {
        var segments = _detect.Detect(chunk);
        // Stryker disable once Conditional : equivalent; the empty array only saves the iterator's allocation
        return segments.Length == 0 ? [] : ParseAndPrepare(segments);
    }

    private IEnumerable<PipelineItem> ParseAndPrepare(ReplySegment[] segments)
    {
        foreach (var segment in segments)
        {
            var item = _parse.Parse(segment);
            item = item is PipelineItem.Parsed parsed ? _prepare.Prepare(parsed) : item;
            if (item is PipelineItem.Ready)
            {
                _stateOrder.Register(item.Index);
            }

            yield return item;
        }
    }

    // Fused: the run block also turns every item into its response item, in the same parallel, ordered block; a block
    // of its own would be one more hop per item for a constructor call.
    private Task<ResponseItem> RunAndRespondAsync(PipelineItem item) => item switch
    {
        PipelineItem.Ready ready => RunScriptAsync(ready),
        PipelineItem.Prose prose => Task.FromResult<ResponseItem>(new TextItem(prose.Index, prose.Segment.Text)),
        PipelineItem.Settled settled => Task.FromResult<ResponseItem>(new ScriptResultItem(settled.Index, settled.Outcome)),

        // A parsed script the prepare stage did not take would be a harness bug: reported as its block's result, not dropped.
        _ => Task.FromResult<ResponseItem>(new ScriptResultItem(item.Index,
            ScriptOutcome.Failed(item.Index, StageFailure.Internal("the script produced no outcome")))),
    };

    private async Task<ResponseItem> RunScriptAsync(PipelineItem.Ready item) =>
        new ScriptResultItem(item.Index, await _runStage.RunAsync(item).ConfigureAwait(false));
}
