using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class BoundedCacheTests
{
    [Fact]
    public void GetOrAdd_Repeated_CreatesOnce()
    {
        var cache = new BoundedCache<string, int>(4);
        var created = 0;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(7, cache.GetOrAdd("a", _ => ++created + 6));
        }

        Assert.Equal(1, created);
    }

    [Fact]
    public void GetOrAdd_ManyKeys_StaysBoundedAndKeepsWhatRepeats()
    {
        var cache = new BoundedCache<int, int>(8);
        var createdHot = 0;
        for (var i = 0; i < 1000; i++)
        {
            cache.GetOrAdd(i, k => k);
            cache.GetOrAdd(-1, _ => ++createdHot);
            Assert.InRange(cache.Count, 1, 16);
        }

        Assert.Equal(1, createdHot);
    }

    [Fact]
    public void GetOrAdd_YoungGenerationFull_MovesItToOldAndDropsTheOldOne()
    {
        var cache = new BoundedCache<string, int>(2);
        var created = new Dictionary<string, int>();
        int Create(string key) => created[key] = created.GetValueOrDefault(key) + 1;

        // young {a, b}; c finds it full: old {a, b}, young {c}; a is found in old and joins young {c, a};
        // d finds young full again: old {c, a} (a, b's old generation is dropped), young {d}; b is made again.
        foreach (var key in new[] { "a", "b", "c", "a", "d", "b" })
        {
            cache.GetOrAdd(key, Create);
        }

        Assert.Equal(1, created["a"]);
        Assert.Equal(2, created["b"]);
        Assert.Equal(4, cache.Count); // young {d, b} + old {c, a}
    }
}
