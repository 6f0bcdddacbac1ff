using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.State;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.State;

public sealed class StateHostingTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        return new ServiceCollection().AddScriptHarnessState(configuration).BuildServiceProvider();
    }

    [Fact]
    public void WithoutStateRedis_TheStoreIsOnTheInMemoryCache()
    {
        using var services = Build();
        Assert.IsType<DistributedCacheScriptStateStore>(services.GetRequiredService<IScriptStateStore>());
        Assert.IsType<MemoryDistributedCache>(services.GetRequiredService<IDistributedCache>());
    }

    [Fact]
    public void WithStateRedis_TheStoreIsOnRedis()
    {
        using var services = Build(("State:Redis", "redis://127.0.0.1:6379"));
        Assert.IsAssignableFrom<RedisCache>(services.GetRequiredService<IDistributedCache>());

        // Documents in the cache, and resume tokens claimed in Redis itself, so two instances cannot both take one.
        Assert.IsType<RedisScriptStateStore>(services.GetRequiredService<IScriptStateStore>());
        Assert.IsAssignableFrom<IScriptStateClaims>(services.GetRequiredService<IScriptStateStore>());
    }

    [SkippableFact]
    public async Task RedisClaims_GoToOneCaller_AcrossStores_AndLastAsLongAsADocument()
    {
        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        var options = new ScriptStateStoreOptions { KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":", Expiration = TimeSpan.FromHours(3) };
        using var first = new RedisScriptStateStore(new RedisCache(new RedisCacheOptions { Configuration = TestRedis.Address }), options, TestRedis.Address!);
        using var second = new RedisScriptStateStore(new RedisCache(new RedisCacheOptions { Configuration = TestRedis.Address }), options, TestRedis.Address!);

        Assert.True(await first.TryClaimAsync("k", CancellationToken.None));
        Assert.False(await second.TryClaimAsync("k", CancellationToken.None));
        Assert.False(await first.TryClaimAsync("k", CancellationToken.None));
        Assert.True(await second.TryClaimAsync("other", CancellationToken.None));

        // Under the store's prefix, and forgotten when a document would be.
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestRedis.Address!);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(options.KeyPrefix + "k");
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(3));
    }

    [Fact]
    public async Task RedisClaims_WhenRedisDoesNotAnswer_FailAndTryAgainNextTime()
    {
        // A port nothing listens on: the claim throws (the harness reports state_store_failed), and a later claim connects anew.
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var address = "127.0.0.1:" + ((System.Net.IPEndPoint)port.LocalEndpoint).Port + ",connectTimeout=200";
        port.Stop();
        using var store = new RedisScriptStateStore(new RedisCache(new RedisCacheOptions { Configuration = address }), ScriptStateStoreOptions.Default, address);

        await Assert.ThrowsAsync<StackExchange.Redis.RedisConnectionException>(async () => await store.TryClaimAsync("k", CancellationToken.None));
        await Assert.ThrowsAsync<StackExchange.Redis.RedisConnectionException>(async () => await store.TryClaimAsync("k", CancellationToken.None));
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.TryClaimAsync("k", CancellationToken.None));
    }

    [Fact]
    public void StateRedis_NotAnAddress_IsAConfigurationException()
    {
        var error = Assert.Throws<ConfigurationException>(() => Build(("State:Redis", "http://example.com")));
        Assert.Contains("State:Redis", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("redis://cache.internal:7000", "cache.internal:7000")]
    [InlineData("localhost:6379,abortConnect=false", "localhost:6379,abortConnect=false")]
    [InlineData("redis://host", null)]
    [InlineData("redis://host:6379/db?x=1", null)]
    [InlineData("host:notaport", null)]
    [InlineData("", null)]
    public void RedisAddress_ReadsTheAcceptedForms(string value, string? expected) =>
        Assert.Equal(expected, RedisAddress.Parse(value));
}
