using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;

namespace ScriptHarness.AI.Chat;

/// <summary>
/// One reply's scripts, running in the background so that they can stay suspended on a nested approval across chat
/// requests. Results and approval requests arrive on one channel, in the order they happen.
/// </summary>
internal sealed class ScriptRun : IDisposable
{
    private readonly Channel<RunSignal> _signals = Channel.CreateUnbounded<RunSignal>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ApprovalBroker _approvals;
    private readonly Task _pump;
    private readonly Task _approvalPump;

    private ScriptRun(string key, ApprovalBroker approvals, Func<RunOptions, CancellationToken, IAsyncEnumerable<ResponseItem>> run, RunOptions options)
    {
        Key = key;
        Conversation = options.Identity?.ConversationId;
        _approvals = approvals;
        _approvalPump = PumpApprovalsAsync();
        _pump = PumpAsync(run(options with { Approvals = approvals }, _stop.Token));
    }

    /// <summary>Unique per chat client: prefixes the ids of the run's script calls and approval requests.</summary>
    public string Key { get; }

    /// <summary>The conversation the request named (<c>ChatOptions.ConversationId</c>); null when it named none.</summary>
    public string? Conversation { get; }

    /// <summary>The reply text so far, for the sources of its blocks.</summary>
    public System.Text.StringBuilder Reply { get; } = new();

    /// <summary>The results so far, in the order they finished.</summary>
    public List<ScriptResultItem> Results { get; } = [];

    public static ScriptRun Start(string key, TimeSpan approvalTimeout, TimeProvider time,
        Func<RunOptions, CancellationToken, IAsyncEnumerable<ResponseItem>> run, RunOptions options) =>
        new(key, new ApprovalBroker(approvalTimeout, time), run, options);

    /// <summary>The next result, approval request or end of the run.</summary>
    public ValueTask<RunSignal> ReadAsync(CancellationToken cancellationToken) => _signals.Reader.ReadAsync(cancellationToken);

    /// <summary>A signal already waiting, without waiting for one.</summary>
    public bool TryRead(out RunSignal? signal) => _signals.Reader.TryRead(out signal);

    /// <summary>Stops the scripts: the run ends with cancelled results the model never sees.</summary>
    public void Cancel() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Cancel();
        _approvals.Dispose();

        // The harness may still be winding down on the token: the source goes once the run has ended.
        _pump.ContinueWith(static (_, stop) => ((CancellationTokenSource)stop!).Dispose(), _stop, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PumpAsync(IAsyncEnumerable<ResponseItem> items)
    {
        try
        {
            await foreach (var item in items.ConfigureAwait(false))
            {
                if (item is ScriptResultItem result)
                {
                    _signals.Writer.TryWrite(new RunSignal.Result(result));
                }
            }

            _signals.Writer.TryWrite(new RunSignal.Completed(null));
        }
        catch (Exception exception)
        {
            // Cancellation included: whoever reads learns the run ended and why; the harness already logged internals.
            _signals.Writer.TryWrite(new RunSignal.Completed(exception));
        }
        finally
        {
            _approvals.Dispose();
            await _approvalPump.ConfigureAwait(false);
            _signals.Writer.TryComplete();
        }
    }

    private async Task PumpApprovalsAsync()
    {
        await foreach (var pending in _approvals.Requests.ReadAllAsync().ConfigureAwait(false))
        {
            if (pending.Status == ApprovalStatus.Pending)
            {
                _signals.Writer.TryWrite(new RunSignal.Approval(pending));
            }
        }
    }
}

/// <summary>What a <see cref="ScriptRun"/> reports.</summary>
internal abstract record RunSignal
{
    private RunSignal()
    {
    }

    /// <summary>A script finished.</summary>
    public sealed record Result(ScriptResultItem Item) : RunSignal;

    /// <summary>A nested call waits for a person.</summary>
    public sealed record Approval(PendingApproval Pending) : RunSignal;

    /// <summary>Every script finished; <paramref name="Failure"/> when the run itself failed or was cancelled.</summary>
    public sealed record Completed(Exception? Failure) : RunSignal;
}
