using Microsoft.Extensions.Caching.Distributed;

namespace ScriptHarness.State;

/// <summary>
/// The state of each conversation as one entry of an <see cref="IDistributedCache"/> (in memory, Redis, SQL Server —
/// whatever the host registers), with a sliding expiration: a conversation nobody continues is forgotten.
/// </summary>
/// <remarks>
/// A cache has no atomic claim, so a resume token is taken once per process only; for durable approvals across
/// instances on Redis, register the store with <c>AddScriptHarnessState</c> and <c>State:Redis</c>, which claims tokens in Redis.
/// </remarks>
public sealed class DistributedCacheScriptStateStore : IScriptStateStore
{
    private readonly IDistributedCache _cache;
    private readonly ScriptStateStoreOptions _options;
    private readonly DistributedCacheEntryOptions _entry;

    /// <summary>Creates a store on <paramref name="cache"/>.</summary>
    /// <param name="cache">The shared cache every host instance uses.</param>
    /// <param name="options">Key prefix and expiration; <see cref="ScriptStateStoreOptions.Default"/> when null.</param>
    /// <exception cref="ConfigurationException">The options are invalid; the message lists every problem.</exception>
    public DistributedCacheScriptStateStore(IDistributedCache cache, ScriptStateStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        options ??= ScriptStateStoreOptions.Default;
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        _cache = cache;
        _options = options;
        _entry = new DistributedCacheEntryOptions { SlidingExpiration = options.Expiration };
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return await _cache.GetAsync(Key(conversationId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(document);
        await _cache.SetAsync(Key(conversationId), document, _entry, cancellationToken).ConfigureAwait(false);
    }

    private string Key(string conversationId) => _options.KeyPrefix + conversationId;
}
