using ScriptHarness.State;

namespace ScriptHarness.Tests.State;

public sealed class ScriptStateOptionsTests
{
    private const int MiB = 1024 * 1024;

    public static TheoryData<ScriptStateOptions, string?> Edges => new()
    {
        { ScriptStateOptions.Default, null },
        { new ScriptStateOptions { MaxValueBytes = 16, MaxConversationBytes = 16 }, null },
        { new ScriptStateOptions { MaxValueBytes = 15 }, "State.MaxValueBytes" },
        { new ScriptStateOptions { MaxValueBytes = 64 * MiB, MaxConversationBytes = 64 * MiB }, null },
        { new ScriptStateOptions { MaxValueBytes = (64 * MiB) + 1, MaxConversationBytes = 128 * MiB }, "State.MaxValueBytes" },
        { new ScriptStateOptions { MaxValueBytes = 1024, MaxConversationBytes = 1023 }, "State.MaxConversationBytes" },
        { new ScriptStateOptions { MaxConversationBytes = 256 * MiB }, null },
        { new ScriptStateOptions { MaxConversationBytes = (256 * MiB) + 1 }, "State.MaxConversationBytes" },
        { new ScriptStateOptions { MaxKeyLength = 1 }, null },
        { new ScriptStateOptions { MaxKeyLength = 0 }, "State.MaxKeyLength" },
        { new ScriptStateOptions { MaxKeyLength = 4096 }, null },
        { new ScriptStateOptions { MaxKeyLength = 4097 }, "State.MaxKeyLength" },
        { new ScriptStateOptions { StoreTimeout = TimeSpan.FromTicks(1) }, null },
        { new ScriptStateOptions { StoreTimeout = TimeSpan.Zero }, "State.StoreTimeout" },
        { new ScriptStateOptions { StoreTimeout = TimeSpan.FromMinutes(10) }, null },
        { new ScriptStateOptions { StoreTimeout = TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1) }, "State.StoreTimeout" },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Validate_AcceptsTheEdges_AndNamesTheFirstValueOverThem(ScriptStateOptions options, string? problem)
    {
        var problems = options.Validate();

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith(problem + " must be", Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ListsEveryProblemAtOnce()
    {
        var problems = new ScriptStateOptions { MaxValueBytes = 0, MaxKeyLength = 0, StoreTimeout = TimeSpan.FromSeconds(-1) }.Validate();

        Assert.Equal(
            ["State.MaxValueBytes must be between 16 and 67108864", "State.MaxKeyLength must be between 1 and 4096", "State.StoreTimeout must be positive and at most 10 minutes"],
            problems);
    }
}
