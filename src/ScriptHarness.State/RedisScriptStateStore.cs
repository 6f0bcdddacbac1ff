using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace ScriptHarness.State;

/// <summary>
/// The state store <c>AddScriptHarnessState</c> registers for <c>State:Redis</c>: documents through the Redis
/// <see cref="IDistributedCache"/>, and claims that one instance alone gets (<c>SET key NX</c>), so a resume token
/// shared by several host instances is taken once.
/// </summary>
/// <remarks>
/// The claims have a connection of their own, opened at the first claim: runs that never resume never open it, and the
/// cache's connection is the cache's to manage.
/// </remarks>
internal sealed class RedisScriptStateStore : IScriptStateStore, IScriptStateClaims, IDisposable
{
    private readonly DistributedCacheScriptStateStore _documents;
    private readonly ScriptStateStoreOptions _options;
    private readonly string _configuration;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private bool _disposed;

    public RedisScriptStateStore(IDistributedCache cache, ScriptStateStoreOptions options, string configuration)
    {
        _documents = new DistributedCacheScriptStateStore(cache, options);
        _options = options;
        _configuration = configuration;
    }

    public ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken) =>
        _documents.LoadAsync(conversationId, cancellationToken);

    public ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken) =>
        _documents.SaveAsync(conversationId, document, cancellationToken);

    public async ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return await connection.GetDatabase()
            .StringSetAsync(_options.KeyPrefix + key, 1, _options.Expiration, When.NotExists)
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    public void Dispose()
    {
        // Without waiting for a claim that is connecting: it sees the flag once connected, and closes what it opened.
        Volatile.Write(ref _disposed, true);
        Interlocked.Exchange(ref _connection, null)?.Dispose();
    }

    // One connection, opened on first use; a failed attempt is not remembered, so the next claim tries again.
    private async ValueTask<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            if (Volatile.Read(ref _connection) is { } connected)
            {
                return connected;
            }

            var connecting = ConnectionMultiplexer.ConnectAsync(_configuration);
            ConnectionMultiplexer connection;
            try
            {
                connection = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The attempt goes on without a caller: whatever it opens is closed, not leaked.
                _ = connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                throw;
            }

            Volatile.Write(ref _connection, connection);
            if (Volatile.Read(ref _disposed))
            {
                // Disposed while connecting: whichever of the two takes the connection closes it.
                Interlocked.Exchange(ref _connection, null)?.Dispose();
                throw new ObjectDisposedException(GetType().FullName);
            }

            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
