using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using ScriptHarness.Context;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.State;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.State;

/// <summary>The caches the state tests run on: always in memory, and a real Redis when there is one (<see cref="TestRedis"/>).</summary>
internal static class StateStores
{
    public const string Memory = "memory";
    public const string Redis = "redis";

    public static TheoryData<string> Kinds => [Memory, Redis];

    public static readonly JintEngineFactory Engine = new();

    /// <summary>A fresh cache of <paramref name="kind"/>; skips the test when Redis is asked for and there is none.</summary>
    public static IDistributedCache Cache(string kind)
    {
        if (kind == Memory)
        {
            return new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        }

        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        return new RedisCache(new RedisCacheOptions { Configuration = TestRedis.Address });
    }

    /// <summary>A store on a fresh cache, under a prefix of its own so tests sharing one Redis never meet.</summary>
    public static IScriptStateStore Store(string kind, string? prefix = null) => Store(Cache(kind), prefix);

    /// <summary>A store on <paramref name="cache"/>; on Redis the one <c>AddScriptHarnessState</c> registers, which claims resume tokens.</summary>
    public static IScriptStateStore Store(IDistributedCache cache, string? prefix = null)
    {
        var options = new ScriptStateStoreOptions { KeyPrefix = prefix ?? "test:" + Guid.NewGuid().ToString("N") + ":" };
        return cache is RedisCache ? new RedisScriptStateStore(cache, options, TestRedis.Address!) : new DistributedCacheScriptStateStore(cache, options);
    }

    public static HarnessPipeline Harness(IScriptStateStore? store, ScriptHarnessOptions? options = null) =>
        new(options ?? new ScriptHarnessOptions(), Engine, TestTools.Registry(), stateStore: store);

    public static RunOptions In(string conversation) => new() { Identity = new RunIdentity(conversation, "session", "turn-1") };

    public static async Task<List<ScriptOutcome>> RunAsync(IScriptHarness harness, string reply, RunOptions? options)
    {
        var outcomes = new List<ScriptOutcome>();
        await foreach (var item in harness.RunAsync(reply, options))
        {
            if (item is ScriptResultItem result)
            {
                outcomes.Add(result.Outcome);
            }
        }

        return outcomes;
    }

    public static string Blocks(params string[] scripts) => string.Concat(scripts.Select(s => $"<tool-calls>\n{s}\n</tool-calls>\n"));
}
