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
}
