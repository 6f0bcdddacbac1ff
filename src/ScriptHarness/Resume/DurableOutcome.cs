using System.Globalization;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Resume;

/// <summary>
/// How a block run with durable approvals ends: as the engine said, unless the replay diverged (<c>replay_diverged</c>,
/// whatever the script made of the refused call) or the block suspended — then its log is saved under a fresh token and
/// the outcome says <see cref="ScriptStatus.Suspended"/>, whatever the script did after the refusal.
/// </summary>
internal static class DurableOutcome
{
    public static async ValueTask<ScriptOutcome> SettleAsync(HarnessServices services, PreparedScript prepared, ReplayLog replay, ScriptOutcome outcome, CancellationToken cancellationToken)
    {
        if (replay.Diverged is { } diverged)
        {
            return outcome with { Status = ScriptStatus.Error, Value = null, Error = diverged };
        }

        if (replay.Suspended is not { } pending || services.StateStore is not { } store)
        {
            return outcome;
        }

        var context = prepared.Context;
        var record = new ResumeRecord(prepared.Script.Source, prepared.Script.Sha256, new RunIdentity(context.ConversationId, context.SessionId, context.TurnId),
            outcome.Index, context.Mode, context.ConversationGiven, replay.Clock, replay.Seed, pending, replay.Calls);
        var token = ResumeRecord.NewToken();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(services.Options.State.StoreTimeout);
            if (!await record.TrySaveAsync(store, token, services.Options.State.MaxResumeBytes, timeout.Token).ConfigureAwait(false))
            {
                return outcome with
                {
                    Status = ScriptStatus.Error, Value = null,
                    Error = new ScriptError(ScriptErrorCode.StateQuotaExceeded,
                        $"the block waits for approval of {pending.Tool}, but the results its calls returned are over State.MaxResumeBytes "
                        + $"({services.Options.State.MaxResumeBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes): the block cannot be kept to resume later, so it does not wait"),
                };
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            services.LogInternal(ex, "suspend");
            return outcome with
            {
                Status = ScriptStatus.Error, Value = null,
                Error = new ScriptError(ScriptErrorCode.StateStoreFailed, $"the block waits for approval of {pending.Tool}, but its log could not be saved to resume it later"),
            };
        }

        return outcome with
        {
            Status = ScriptStatus.Suspended, Value = null, Error = null,
            Suspension = new ScriptSuspension(token, pending.CallId, pending.Tool, pending.Arguments?.DeepClone()),
        };
    }
}
