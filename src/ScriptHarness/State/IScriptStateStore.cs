namespace ScriptHarness.State;

/// <summary>
/// Where the state a conversation's scripts keep with <c>store(key, value)</c> lives between blocks, replies and host
/// instances. The harness keeps one document per conversation (a UTF-8 JSON object of key to value) and does the
/// size checks itself; a store only reads and writes documents, so any shared cache can back it
/// (<c>ScriptHarness.State</c> builds one on <c>IDistributedCache</c>: in memory, or Redis).
/// </summary>
/// <remarks>
/// Blocks of one reply that use state run in reply order, so they never race. Two replies of one conversation run at
/// the same time (on one instance or two) write last-writer-wins: conversations take turns, so the harness does not lock.
/// Implementations throw for a failing store; scripts see that as <c>state_store_failed</c>. A store several instances
/// share and that durable approvals use also implements <see cref="IScriptStateClaims"/>, so a resume token is taken once.
/// </remarks>
public interface IScriptStateStore
{
    /// <summary>The conversation's state document, or null when it has none (never stored, or expired).</summary>
    /// <param name="conversationId">The conversation, as the script's <c>context.conversationId</c>.</param>
    /// <param name="cancellationToken">Cancelled when the call's time is up or the run ends.</param>
    ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Replaces the conversation's state document; an empty object may be stored or removed.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="document">UTF-8 JSON object, at most <see cref="ScriptStateOptions.MaxConversationBytes"/> bytes.</param>
    /// <param name="cancellationToken">Cancelled when the call's time is up or the run ends.</param>
    ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken);
}
