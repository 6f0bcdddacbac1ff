using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScriptHarness.State;

// Extension methods live in the DI namespace so they are found where services are configured.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the state scripts keep across blocks (<c>store</c>/<c>load</c>).</summary>
public static class ScriptHarnessStateServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IScriptStateStore"/> on an <see cref="IDistributedCache"/>: Redis when
    /// <c>State:Redis</c> is set in <paramref name="configuration"/> (or <see cref="ScriptStateStoreOptions.Redis"/>), else
    /// the in-memory cache unless the host registered its own cache. <c>AddScriptHarness</c> hands the store to the harness.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Read for <c>State:Redis</c>; none when null.</param>
    /// <param name="options">Prefix, expiration and Redis; the defaults when null (a configured <c>State:Redis</c> wins over none).</param>
    /// <exception cref="ScriptHarness.ConfigurationException">The options or <c>State:Redis</c> are invalid.</exception>
    public static IServiceCollection AddScriptHarnessState(this IServiceCollection services, IConfiguration? configuration = null, ScriptStateStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= ScriptStateStoreOptions.Default;
        if (configuration?["State:Redis"] is { Length: > 0 } redis)
        {
            options = options with { Redis = redis };
        }

        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ScriptHarness.ConfigurationException(problems);
        }

        if (options.Redis is { } address)
        {
            AddRedis(services, address, options);
        }
        else
        {
            // Adds the in-memory cache only when the host has registered no cache of its own.
            services.AddDistributedMemoryCache();
            services.TryAddSingleton<IScriptStateStore>(sp => new DistributedCacheScriptStateStore(sp.GetRequiredService<IDistributedCache>(), options));
        }

        return services;
    }

    // Apart, so that the Redis cache's assembly loads only when Redis is configured (every CLI command registers state).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRedis(IServiceCollection services, string address, ScriptStateStoreOptions options)
    {
        var configuration = RedisAddress.Parse(address)!;
        services.AddStackExchangeRedisCache(o => o.Configuration = configuration);
        services.TryAddSingleton<IScriptStateStore>(sp => new RedisScriptStateStore(sp.GetRequiredService<IDistributedCache>(), options, configuration));
    }
}
