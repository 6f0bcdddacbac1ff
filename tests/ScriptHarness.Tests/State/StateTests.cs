using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.State;
using static ScriptHarness.Tests.State.StateStores;

namespace ScriptHarness.Tests.State;

public sealed class StateTests
{
    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task TwoBlocks_StoreThenLoad_StateFlowsInReplyOrder(string kind)
    {
        // The store is slow to write: without the reply order, the second block would load before the first stored.
        using var harness = Harness(new SlowStore(Store(kind)), new ScriptHarnessOptions { MaxParallelScripts = 4 });
        var outcomes = await RunAsync(harness, Blocks("await store('n', 41);\nreturn 'stored';", "return (await load('n')) + 1;"), In("c-order"));

        Assert.Equal(["\"stored\"", "42"], outcomes.Select(o => o.Value!.ToJsonString()));
    }

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task TwoHarnessInstances_OnOneStore_ShareAConversationButNotOthers(string kind)
    {
        // Scale-out: the reply that stores and the one that loads run on different instances, each with its own cache client.
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var shared = kind == Memory ? Cache(kind) : null;
        using var first = Harness(Store(shared ?? Cache(kind), prefix));
        using var second = Harness(Store(shared ?? Cache(kind), prefix));

        await RunAsync(first, Blocks("await store('plan', { step: 1 });"), In("c-a"));
        var same = await RunAsync(second, Blocks("return await load('plan');"), In("c-a"));
        var other = await RunAsync(second, Blocks("return await load('plan');"), In("c-b"));

        Assert.Equal("""{"step":1}""", same[0].Value!.ToJsonString());
        Assert.Null(other[0].Value);
        Assert.Equal(ScriptStatus.Ok, other[0].Status);
    }

    [Theory]
    [InlineData("anna b", "anna_b")]
    [InlineData("jos\u00e9@example.com", "jos_@example.com")]
    [InlineData("jos\u00e9@example.com", "jos\u00e8@example.com")]
    [InlineData("tenant-4/", "tenant-4/")]
    public async Task Conversations_WhoseIdsDiffer_NeverShareState(string first, string second)
    {
        // Before: ids were made safe by replacing characters and cutting at 128, so different ids could become one and
        // read each other's state (a space, an accent, or a long common prefix).
        if (first == second)
        {
            var prefix = new string('p', 128);
            (first, second) = (first + prefix + "-alice", first + prefix + "-bob");
        }

        using var harness = Harness(Store(Memory));
        await RunAsync(harness, Blocks("await store('secret', 'of the first');"), In(first));

        var other = await RunAsync(harness, Blocks("return await load('secret');"), In(second));
        var same = await RunAsync(harness, Blocks("return await load('secret');"), In(first));

        Assert.Equal(ScriptStatus.Ok, other[0].Status);
        Assert.Null(other[0].Value);
        Assert.Equal("\"of the first\"", same[0].Value!.ToJsonString());
    }

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task Store_OverQuota_FailsAndKeepsWhatWasThere(string kind)
    {
        var store = Store(kind);
        using var harness = Harness(store, new ScriptHarnessOptions { State = new ScriptStateOptions { MaxValueBytes = 64, MaxConversationBytes = 100 } });
        var outcomes = await RunAsync(harness, Blocks("await store('a', 'x'.repeat(50));", "await store('b', 'y'.repeat(50));"), In("c-quota"));

        Assert.Equal(ScriptErrorCode.StateQuotaExceeded, outcomes[1].Error!.Code);
        Assert.False(outcomes[1].Error!.Retryable);
        var document = JsonNode.Parse((await store.LoadAsync("c-quota", CancellationToken.None))!)!.AsObject();
        Assert.Equal(["a"], document.Select(p => p.Key));
    }

    [Fact]
    public async Task Load_WithoutAGivenConversation_IsStateUnavailable()
    {
        using var harness = Harness(Store(Memory));
        var outcomes = await RunAsync(harness, Blocks("return await load('n');"), options: null);

        Assert.Equal(ScriptErrorCode.StateUnavailable, outcomes[0].Error!.Code);
        Assert.Contains("no conversation id", outcomes[0].Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Store_WithABlankConversationId_IsStateUnavailable_NotOneStateForEveryoneWithout(string? conversation)
    {
        // Before: an identity with no conversation id in it (a missing header, say) kept state under "unknown" (or the
        // blank id): one store for every caller without one.
        using var harness = Harness(Store(Memory));
        await RunAsync(harness, Blocks("try { await store('secret', 'of one caller'); } catch { }"), In(conversation!));

        var outcomes = await RunAsync(harness, Blocks("return await load('secret');"), In(conversation!));

        Assert.Equal(ScriptErrorCode.StateUnavailable, outcomes[0].Error!.Code);
        Assert.Contains("no conversation id", outcomes[0].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_WithoutAStateStore_IsStateUnavailable()
    {
        using var harness = Harness(store: null);
        var outcomes = await RunAsync(harness, Blocks("await store('n', 1);"), In("c-none"));

        Assert.Equal(ScriptErrorCode.StateUnavailable, outcomes[0].Error!.Code);
        Assert.Contains("no state store", outcomes[0].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_WhenTheStoreFails_IsRetryableStateStoreFailed_WithoutHostDetails()
    {
        using var harness = Harness(new FailingStore());
        var outcomes = await RunAsync(harness, Blocks("await store('n', 1);", "return await load('n');"), In("c-fail"));

        Assert.All(outcomes, o => Assert.Equal(ScriptErrorCode.StateStoreFailed, o.Error!.Code));
        Assert.All(outcomes, o => Assert.True(o.Error!.Retryable));
        Assert.All(outcomes, o => Assert.DoesNotContain("connection refused", o.Error!.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Load_OfADocumentThatIsNotAnObject_IsStateStoreFailed()
    {
        var store = Store(Memory);
        await store.SaveAsync("c-bad", Encoding.UTF8.GetBytes("[1,2]"), CancellationToken.None);
        using var harness = Harness(store);

        var outcomes = await RunAsync(harness, Blocks("return await load('n');"), In("c-bad"));

        Assert.Equal(ScriptErrorCode.StateStoreFailed, outcomes[0].Error!.Code);
    }

    [Fact]
    public async Task StoreErrors_ShowTheScriptsLine_NotTheWrappersHelpers()
    {
        using var harness = Harness(Store(Memory), new ScriptHarnessOptions { State = new ScriptStateOptions { MaxValueBytes = 16, MaxConversationBytes = 16 } });
        var outcomes = await RunAsync(harness, Blocks("const v = 'x'.repeat(40);\nawait store('v', v);"), In("c-stack"));

        var error = outcomes[0].Error!;
        Assert.Equal(ScriptErrorCode.StateValueTooLarge, error.Code);
        // Jint reports no script frame for a rejection settled inside the helper; V8 reports the awaiting line. Neither shows the helpers.
        Assert.True(error.Line is null or 3, $"line {error.Line}");
        Assert.DoesNotContain("$", error.Stack ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("await store('a', 1);", true)]
    [InlineData("const x = await load('a');", true)]
    [InlineData("await tools.$state.load({ key: 'a' });", true)]
    [InlineData("return tools.t.echo({ store: 1, load: 2 });", false)]
    [InlineData("const o = { store() {} }; o.store();", false)]
    public void Validator_SeesStateUseOnTheSyntaxTree(string source, bool usesState) =>
        Assert.Equal(usesState, new ScriptValidator().Validate(source).Script!.UsesState);

    [Fact]
    public async Task ReplyStateOrder_WaitsForEveryEarlierBlockOnly()
    {
        var order = new ReplyStateOrder();
        order.Register(1);
        order.Register(3);
        order.Register(5);

        var forFive = order.EarlierBlocksAsync(5, CancellationToken.None);
        Assert.True(order.EarlierBlocksAsync(1, CancellationToken.None).IsCompleted);
        order.Ended(1);
        Assert.False(forFive.IsCompleted);
        order.Ended(3);
        await forFive;
    }

    [Fact]
    public async Task ReplyStateOrder_WaitsForEveryEarlierBlock_WhicheverEndsLast()
    {
        var order = new ReplyStateOrder();
        order.Register(0);
        order.Register(1);
        order.Register(2);

        var forTwo = order.EarlierBlocksAsync(2, CancellationToken.None);
        order.Ended(1);
        Assert.False(forTwo.IsCompleted); // block 0, the first registered, still runs
        order.Ended(0);
        await forTwo;
    }

    [Fact]
    public void Options_Invalid_AreAConfigurationException()
    {
        var options = new ScriptHarnessOptions { State = new ScriptStateOptions { MaxValueBytes = 1000, MaxConversationBytes = 10, MaxKeyLength = 0 } };

        var error = Assert.Throws<ConfigurationException>(() => Harness(null, options));

        Assert.Contains("State.MaxConversationBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("State.MaxKeyLength", error.Message, StringComparison.Ordinal);
    }

    private sealed class SlowStore(IScriptStateStore inner) : IScriptStateStore
    {
        public ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken) => inner.LoadAsync(conversationId, cancellationToken);

        public async ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
        {
            await Task.Delay(100, cancellationToken);
            await inner.SaveAsync(conversationId, document, cancellationToken);
        }
    }

    private sealed class FailingStore : IScriptStateStore
    {
        public ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("connection refused");

        public ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("connection refused");
    }
}
