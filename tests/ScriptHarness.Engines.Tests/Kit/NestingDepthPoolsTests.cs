using ScriptHarness.Context;
using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

public sealed class NestingDepthPoolsTests
{
    [Fact]
    public void For_EachDepthGetsItsOwnPool_MadeOnFirstUseAndKept()
    {
        var made = 0;
        var top = new object();
        var pools = new NestingDepthPools<object>(top, () =>
        {
            made++;
            return new object();
        });

        Assert.Same(top, pools.For(0));
        Assert.Equal(0, made);
        var first = pools.For(1);
        Assert.NotSame(top, first);
        Assert.Same(first, pools.For(1));
        Assert.NotSame(first, pools.For(2));
        Assert.Equal(2, made);
        Assert.Equal([top, first, pools.For(2)], pools.Made);
    }

    [Fact]
    public void For_DepthOutOfRange_IsClamped()
    {
        var top = new object();
        var pools = new NestingDepthPools<object>(top, () => new object());
        Assert.Same(top, pools.For(-3));
        Assert.Same(pools.For(ScriptContext.MaxNestingDepth), pools.For(ScriptContext.MaxNestingDepth + 5));
    }
}
