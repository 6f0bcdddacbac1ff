using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Runs the tool-call scripts of model replies. Each call returns the reply's response items in reply order:
/// prose as is, and one result per block (value, typed error, or skipped). Script failures are results,
/// never exceptions; cancelling <c>cancellationToken</c> stops every running script and tool call and ends
/// the enumeration with <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Cancellation is the one exception of the contract, as everywhere in .NET: the items already returned stand, and the
/// blocks not yet returned get no item (a host that must account for each can give them its own <c>cancelled</c>
/// result, as the CLI does). The event streams end with a <see cref="RunCancelledEvent"/> naming the first segment
/// without an item, then throw the same exception.
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of their first parameter (a string, UTF-8 bytes, a stream of chunks, a channel), so no call can bind to two of them; optional options and token keep every call site short, as in M.E.AI.")]
public interface IScriptHarness
{
    /// <summary>Runs a whole reply.</summary>
    IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a whole reply given as UTF-8 bytes; blocks holding invalid UTF-8 end with <c>invalid_utf8</c>.</summary>
    IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a reply as the model streams it: each block starts the moment its closing tag arrives.</summary>
    IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a reply streamed through a channel.</summary>
    IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a whole reply and returns everything that happens, in order per script: script started/completed, tool
    /// call started/completed, approval requested/resolved, progress, log, and each response item as it is ready
    /// (<see cref="ResponseItemEvent"/>, in reply order).
    /// </summary>
    IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The event stream of a reply the model is still streaming (see <see cref="RunEventsAsync"/>).</summary>
    IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Continues a block that ended <see cref="ScriptStatus.Suspended"/> (durable approvals), on this instance or any
    /// other sharing the state store: the same script runs again with the calls its log holds answered from the log
    /// (their handlers are not called again), the waiting call run (approved) or refused with <c>approval_denied</c>,
    /// and the rest live; a later call that needs approval suspends it again, with a new token. Never throws for a bad
    /// token: <c>resume_token_unknown</c> (unknown, expired or already used); <c>replay_diverged</c> when the replay
    /// made another call than the log holds at that position.
    /// </summary>
    /// <param name="token">The <see cref="ScriptSuspension.Token"/>.</param>
    /// <param name="decision">The decision on the waiting call.</param>
    /// <param name="options">The approver for later calls (<see cref="RunOptions.Approvals"/>); the ids and mode are the block's own.</param>
    /// <param name="cancellationToken">Stops the block.</param>
    /// <returns>The block's outcome; a harness without durable approvals returns <c>resume_token_unknown</c>.</returns>
    Task<ScriptOutcome> ResumeAsync(string token, ApprovalDecision decision, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "this harness keeps no suspended blocks")));

    /// <summary>
    /// <see cref="ResumeAsync"/> with everything that happens, as <see cref="RunEventsAsync"/> gives a run's: first
    /// <see cref="ScriptResumedEvent"/> (the block's run identity, once the token is found), then the script's events —
    /// its calls answered from the log included — and last the block's <see cref="ResponseItemEvent"/>. A token that
    /// cannot resume gives that last event only.
    /// </summary>
    /// <param name="token">The <see cref="ScriptSuspension.Token"/>.</param>
    /// <param name="decision">The decision on the waiting call.</param>
    /// <param name="options">The approver for later calls; the ids and mode are the block's own.</param>
    /// <param name="cancellationToken">Stops the block.</param>
    async IAsyncEnumerable<HarnessEvent> ResumeEventsAsync(string token, ApprovalDecision decision, RunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var outcome = await ResumeAsync(token, decision, options, cancellationToken).ConfigureAwait(false);
        yield return new ResponseItemEvent(outcome.Index, TimeProvider.System.GetUtcNow(), new ScriptResultItem(outcome.Index, outcome));
    }
}
