using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.State;

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
