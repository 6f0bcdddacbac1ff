using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Context;

public sealed class ScriptContextReplayTests
{
    [Fact]
    public void WithoutDurableApprovals_TheScriptSeesNoReplayState()
    {
        var context = ScriptContextFactory.Create(new RunIdentity("c", "s", "t"), 0, ToolMode.Enabled, ScriptLimits.Default);

        Assert.Null(context.Replay);
        Assert.False(context.ToScriptJson().ContainsKey("$replay"));
    }

    [Fact]
    public void AReplayClock_GivesTheScriptItsTimeAndFourSeedWords()
    {
        // The wrapper's xorshift128 takes four 32-bit words: the seed's low and high halves, and each mixed with its
        // own constant, so a seed of zero still gives a generator that is not stuck at zero.
        var context = ScriptContextFactory.Create(new RunIdentity("c", "s", "t"), 0, ToolMode.Enabled, ScriptLimits.Default)
            with { Replay = new ReplayClock(1_764_800_000_123, 0x0123_4567_89AB_CDEFUL) };

        var replay = context.ToScriptJson()["$replay"]!;

        Assert.Equal(1_764_800_000_123, replay["now"]!.GetValue<long>());
        Assert.Equal([0x89AB_CDEFu, 0x0123_4567u, 0x89AB_CDEFu ^ 0x9E37_79B9u, 0x0123_4567u ^ 0x7F4A_7C15u],
            replay["seed"]!.AsArray().Select(n => n!.GetValue<uint>()));
    }

    [Fact]
    public void Create_RefusesANullIdentity() =>
        Assert.Throws<ArgumentNullException>(() => ScriptContextFactory.Create(null!, 0, ToolMode.Enabled, ScriptLimits.Default));
}
