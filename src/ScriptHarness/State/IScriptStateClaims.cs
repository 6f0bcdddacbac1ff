namespace ScriptHarness.State;

/// <summary>
/// What a state store shared by several host instances adds so that each resume token is taken once across all of
/// them: a claim on a key that only one caller gets (Redis: <c>SET key NX</c>). Implemented by the same object as
/// <see cref="IScriptStateStore"/>; the Redis store that <c>AddScriptHarnessState</c> registers for <c>State:Redis</c> has it.
/// </summary>
/// <remarks>
/// With durable approvals an answer may arrive twice at once: a double click, a retried request, two instances handed
/// the same decision. The harness takes a token once per process whatever the store; across processes the store's
/// plain read and write cannot tell two takers apart, so without this each of them would replay the block and run the
/// approved call again.
/// </remarks>
public interface IScriptStateClaims
{
    /// <summary>
    /// Claims <paramref name="key"/>: true for the first caller on any instance sharing the store, false for every
    /// later one. A claim lasts at least as long as the store keeps a document.
    /// </summary>
    /// <param name="key">What is claimed; never the key of a document.</param>
    /// <param name="cancellationToken">Cancelled when the harness's store time limit is up.</param>
    ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken);
}
