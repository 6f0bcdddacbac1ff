using ScriptHarness.Approvals;
using ScriptHarness.Resume;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Run: runs a prepared script on a fresh sandbox of the engine with its tool bridge, and composes its outcome. Holds
/// what the scripts of one reply share (the reply's tool budget, its deadline, the host's token), so it serves one run;
/// called in parallel by the run block. Never throws: cancellation and harness failures become the outcome too.
/// </summary>
/// <param name="services">The harness: engine, tools, the tool gate, options, the log.</param>
/// <param name="events">Where the script's events go.</param>
/// <param name="approvals">Who approves this run's calls.</param>
/// <param name="outerCalls">The tool calls whose handler runs this reply; null when the host runs it.</param>
/// <param name="run">The run's token: the host's cancellation, or the consumer walking away.</param>
/// <param name="replyDeadline">Cancelled when the reply's time (<see cref="ScriptHarnessOptions.MaxReplyTime"/>) is up.</param>
/// <param name="scripts">What scripts stop at: <paramref name="run"/> or <paramref name="replyDeadline"/>.</param>
/// <param name="stateOrder">Holds a block that uses state until the earlier blocks of its reply have ended; none when null.</param>
/// <param name="resumed">The log a resumed block replays (<see cref="HarnessPipeline.ResumeAsync"/>); none when null.</param>
internal sealed class RunStage(
    HarnessServices services,
    RunEvents events,
    IApprovalService approvals,
    ToolNesting? outerCalls,
    CancellationToken run,
    CancellationToken replyDeadline,
    CancellationToken scripts,
    ReplyStateOrder? stateOrder = null,
    ReplayLog? resumed = null)
{
    private readonly ReplyToolBudget _replyTools = new(services.Options.MaxToolCallsPerReply);

    public async Task<ScriptOutcome> RunAsync(PipelineItem.Ready item)
    {
        try
        {
            if (stateOrder is not null && item.Prepared.Script.UsesState)
            {
                try
                {
                    await stateOrder.EarlierBlocksAsync(item.Index, scripts).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Reported below as the reply's deadline or the host's cancellation, like any script stopped there.
                }
            }

            return await RunInOrderAsync(item).ConfigureAwait(false);
        }
        finally
        {
            stateOrder?.Ended(item.Index);
        }
    }

    private async Task<ScriptOutcome> RunInOrderAsync(PipelineItem.Ready item)
    {
        var script = item.Prepared.Script;
        if (ReplyTimeIsUp)
        {
            return ReplyTimeExceeded(item.Index, script.Sha256);
        }

        var scriptEvents = events.For(item.Index);
        try
        {
            scriptEvents.Started(item.Prepared.Context.ScriptId);
            var replay = resumed ?? (services.Options.DurableApprovals ? ReplayLog.First(services.Time) : null);
            var prepared = replay is null ? item.Prepared
                : item.Prepared with { Context = item.Prepared.Context with { Replay = new(replay.Clock, replay.Seed) } };
            using var bridge = new ScriptToolBridge(services.Tools, prepared.Context, services.ToolServicesFor(approvals), scriptEvents, scripts, _replyTools, outerCalls, replay);
            EngineResult result;
            await using (var sandbox = await services.Engine.CreateAsync(scripts).ConfigureAwait(false))
            {
                result = await sandbox.RunAsync(prepared, bridge, scripts).ConfigureAwait(false);
            }

            var outcome = OutcomeComposer.Compose(item.Index, script.Sha256, result, bridge);
            if (replay is not null)
            {
                outcome = await DurableOutcome.SettleAsync(services, prepared, replay, outcome, scripts).ConfigureAwait(false);
            }

            if (!result.IsSuccess && ReplyTimeIsUp)
            {
                // The engine saw only its token cancelled; the reason is the reply's deadline, not the script.
                outcome = outcome with { Error = ReplyTimeExceeded(item.Index, script.Sha256).Error };
            }

            scriptEvents.Completed(outcome);
            return outcome;
        }
        catch (OperationCanceledException) when (ReplyTimeIsUp)
        {
            return ReplyTimeExceeded(item.Index, script.Sha256);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            return ScriptOutcome.Failed(item.Index, new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled")) with { Sha256 = script.Sha256 };
        }
        catch (Exception ex)
        {
            // Every result of a parsed script names its script, however it ended.
            return StageFailure.Logged(services, item.Index, ex, "run") with { Sha256 = script.Sha256 };
        }
    }

    // Only when the host has not cancelled: then the reply's end is the host's doing, reported as cancelled.
    private bool ReplyTimeIsUp => replyDeadline.IsCancellationRequested && !run.IsCancellationRequested;

    private ScriptOutcome ReplyTimeExceeded(int index, string sha256) =>
        ScriptOutcome.Failed(index, new ScriptError(ScriptErrorCode.ReplyLimitExceeded,
            $"the reply ran longer than its {services.Options.MaxReplyTime.TotalSeconds:0.###} s limit")) with { Sha256 = sha256 };
}
