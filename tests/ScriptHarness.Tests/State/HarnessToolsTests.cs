using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.State;
using ScriptHarness.Tools;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.State;

// The harness tools behind store/load and tools.$search/$describe, called as the bridge calls them: the limits at their
// edges, the argument schemas, and what a failing store turns into.
public sealed class HarnessToolsTests
{
    private const string Conversation = "c-1";

    private static readonly ToolCallContext Call = new("call-1", "t", new ScriptContext
    {
        ConversationId = Conversation,
        SessionId = "s",
        TurnId = "t",
        ScriptId = "t:0",
        ConversationGiven = true,
    });

    private static ToolDefinition Definition(string name, IScriptStateStore? store = null, ScriptStateOptions? options = null, ToolRegistry? registry = null)
    {
        var tools = new HarnessTools(registry ?? new ToolRegistry([]), store ?? new DictionaryStore(), options ?? ScriptStateOptions.Default);
        Assert.True(tools.TryGet(name, out var tool));
        return tool;
    }

    private static ValueTask<JsonNode?> InvokeAsync(ToolDefinition tool, JsonNode? args, CancellationToken cancellationToken = default) =>
        tool.Handler(args, Call, cancellationToken);

    private static async Task<ToolException> FailsAsync(ToolDefinition tool, JsonNode? args) =>
        await Assert.ThrowsAsync<ToolException>(async () => await InvokeAsync(tool, args));

    private static async Task<ToolException> InvalidAsync(ToolDefinition tool, string args) =>
        await Assert.ThrowsAsync<ToolException>(async () => await ArgumentSchema.For(tool.ArgumentsSchema).ValidateAsync(tool.Name, JsonNode.Parse(args), CancellationToken.None));

    private static ValueTask ValidAsync(ToolDefinition tool, string args) =>
        ArgumentSchema.For(tool.ArgumentsSchema).ValidateAsync(tool.Name, JsonNode.Parse(args), CancellationToken.None);

    [Theory]
    [InlineData(StateTools.StoreName)]
    [InlineData(StateTools.LoadName)]
    [InlineData(DiscoveryTools.SearchName)]
    [InlineData(DiscoveryTools.DescribeName)]
    public void EveryHarnessTool_IsMarkedAsOne_AndSaysWhatItDoes(string name)
    {
        var tool = Definition(name);

        Assert.True(tool.IsHarnessTool);
        Assert.EndsWith(".", tool.Description, StringComparison.Ordinal);
        Assert.True(tool.Description.Length > 20, tool.Description);
    }

    [Fact]
    public async Task AValueOfExactlyTheCap_IsKept_AndOneByteMoreIsNot()
    {
        var store = new DictionaryStore();
        var options = new ScriptStateOptions { MaxValueBytes = 16 };
        var tool = Definition(StateTools.StoreName, store, options);

        await InvokeAsync(tool, new JsonObject { ["key"] = "k", ["value"] = new string('a', 14) }); // "aaa…" is 16 bytes of JSON
        var over = await FailsAsync(tool, new JsonObject { ["key"] = "k", ["value"] = new string('a', 15) });

        Assert.Equal(ScriptErrorCode.StateValueTooLarge, over.Error.Code);
        Assert.Contains("17 bytes of JSON, over the limit of 16 bytes", over.Message, StringComparison.Ordinal);
        Assert.Equal("""{"k":"aaaaaaaaaaaaaa"}""", store.Text(Conversation));
    }

    [Fact]
    public async Task AConversationOfExactlyTheQuota_IsKept_AndOneByteMoreIsNot()
    {
        var store = new DictionaryStore();
        var tool = Definition(StateTools.StoreName, store, new ScriptStateOptions { MaxValueBytes = 16, MaxConversationBytes = 20 });

        await InvokeAsync(tool, new JsonObject { ["key"] = "k", ["value"] = "0123456789ab" }); // {"k":"0123456789ab"} is 20 bytes
        var over = await FailsAsync(tool, new JsonObject { ["key"] = "k", ["value"] = "0123456789abc" });

        Assert.Equal(ScriptErrorCode.StateQuotaExceeded, over.Error.Code);
        Assert.Contains("21 bytes, over its quota of 20 bytes", over.Message, StringComparison.Ordinal);
        Assert.Equal("""{"k":"0123456789ab"}""", store.Text(Conversation));
    }

    [Fact]
    public async Task AKeyOfExactlyTheLongestLength_IsKept_AndOneCharacterMoreIsInvalid()
    {
        var store = new DictionaryStore();
        var tool = Definition(StateTools.StoreName, store, new ScriptStateOptions { MaxKeyLength = 4 });

        await InvokeAsync(tool, new JsonObject { ["key"] = "abcd", ["value"] = 1 });
        var over = await FailsAsync(tool, new JsonObject { ["key"] = "abcde", ["value"] = 1 });

        Assert.Equal(ScriptErrorCode.ToolValidationFailed, over.Error.Code);
        Assert.Equal("a state key is at most 4 characters", over.Message);
        Assert.Equal("""{"abcd":1}""", store.Text(Conversation));
    }

    [Fact]
    public async Task StoreWithoutAValue_RemovesTheKey_AndLoadThenGivesNull()
    {
        var store = new DictionaryStore();
        var save = Definition(StateTools.StoreName, store);
        var load = Definition(StateTools.LoadName, store);

        await InvokeAsync(save, new JsonObject { ["key"] = "a", ["value"] = 1 });
        await InvokeAsync(save, new JsonObject { ["key"] = "b", ["value"] = new JsonObject { ["x"] = 2 } });
        Assert.Equal("""{"x":2}""", (await InvokeAsync(load, new JsonObject { ["key"] = "b" }))!.ToJsonString());

        await InvokeAsync(save, new JsonObject { ["key"] = "b" });

        Assert.Equal("""{"a":1}""", store.Text(Conversation));
        Assert.Null(await InvokeAsync(load, new JsonObject { ["key"] = "b" }));
        Assert.Equal("1", (await InvokeAsync(load, new JsonObject { ["key"] = "a" }))!.ToJsonString());
    }

    [Fact]
    public async Task StoreNull_KeepsANull_UnlikeStoreWithoutAValue()
    {
        var store = new DictionaryStore();
        await InvokeAsync(Definition(StateTools.StoreName, store), new JsonObject { ["key"] = "n", ["value"] = null });

        Assert.Equal("""{"n":null}""", store.Text(Conversation));
    }

    [Fact]
    public async Task AFailingSave_IsRetryableStateStoreFailed_WithoutTheStoresOwnMessage()
    {
        var tool = Definition(StateTools.StoreName, new DictionaryStore { FailSaves = true });

        var failed = await FailsAsync(tool, new JsonObject { ["key"] = "k", ["value"] = 1 });

        Assert.Equal(ScriptErrorCode.StateStoreFailed, failed.Error.Code);
        Assert.True(failed.Retryable);
        Assert.Equal("the state store failed; try again", failed.Message);
        Assert.IsType<InvalidOperationException>(failed.InnerException);
    }

    [Fact]
    public async Task AStoreThatDoesNotAnswer_FailsAtTheStoreTimeout_SayingSo()
    {
        var tool = Definition(StateTools.LoadName, new DictionaryStore { Hang = true }, new ScriptStateOptions { StoreTimeout = TimeSpan.FromMilliseconds(50) });

        var failed = await FailsAsync(tool, new JsonObject { ["key"] = "k" });

        Assert.Equal(ScriptErrorCode.StateStoreFailed, failed.Error.Code);
        Assert.Equal("the state store did not answer within 0.05 s; try again", failed.Message);
    }

    [Fact]
    public async Task ASaveThatDoesNotAnswer_FailsAtTheStoreTimeout_Too()
    {
        var tool = Definition(StateTools.StoreName, new DictionaryStore { HangSaves = true }, new ScriptStateOptions { StoreTimeout = TimeSpan.FromMilliseconds(50) });

        var failed = await FailsAsync(tool, new JsonObject { ["key"] = "k", ["value"] = 1 });

        Assert.Equal(ScriptErrorCode.StateStoreFailed, failed.Error.Code);
        Assert.StartsWith("the state store did not answer within", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledCall_IsCancelled_NotAStoreFailure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        // The save sees the cancellation (the load before it does not look), then the load of a store that waits does.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await InvokeAsync(Definition(StateTools.StoreName, new DictionaryStore { SavesSeeCancellation = true }), new JsonObject { ["key"] = "k", ["value"] = 1 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await InvokeAsync(Definition(StateTools.LoadName, new DictionaryStore { Hang = true }), new JsonObject { ["key"] = "k" }, cancelled.Token));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("5")]
    [InlineData("{not json")]
    public async Task ADocumentThatIsNotAJsonObject_IsReported_NeverReplaced(string stored)
    {
        var store = new DictionaryStore();
        store.Documents[Conversation] = Encoding.UTF8.GetBytes(stored);

        var failed = await FailsAsync(Definition(StateTools.StoreName, store), new JsonObject { ["key"] = "k", ["value"] = 1 });

        Assert.Equal(ScriptErrorCode.StateStoreFailed, failed.Error.Code);
        Assert.Equal("the conversation's state in the store is not a JSON object", failed.Message);
        Assert.Equal(stored, store.Text(Conversation));
    }

    [Fact]
    public async Task TheStateSchemas_WantOneNonEmptyKey_AndNothingElse()
    {
        var save = Definition(StateTools.StoreName);
        var load = Definition(StateTools.LoadName);

        await ValidAsync(save, """{"key":"k","value":{"any":[1,"x",null]}}""");
        await ValidAsync(save, """{"key":"k"}""");
        await ValidAsync(load, """{"key":"k"}""");
        foreach (var tool in new[] { save, load })
        {
            await InvalidAsync(tool, """{"key":""}""");
            await InvalidAsync(tool, """{"key":1}""");
            await InvalidAsync(tool, """{}""");
            await InvalidAsync(tool, """{"key":"k","other":1}""");
        }

        await InvalidAsync(load, """{"key":"k","value":1}""");
    }

    [Fact]
    public async Task TheSearchSchema_WantsAQueryOfAtMost1000Characters_AndALimitFrom1To50()
    {
        var search = Definition(DiscoveryTools.SearchName);

        await ValidAsync(search, """{"query":"x"}""");
        await ValidAsync(search, $$"""{"query":"{{new string('q', 1000)}}","limit":50}""");
        await ValidAsync(search, """{"query":"x","limit":1}""");
        await InvalidAsync(search, $$"""{"query":"{{new string('q', 1001)}}"}""");
        await InvalidAsync(search, """{"query":1}""");
        await InvalidAsync(search, """{"limit":3}""");
        await InvalidAsync(search, """{"query":"x","limit":0}""");
        await InvalidAsync(search, """{"query":"x","limit":51}""");
        await InvalidAsync(search, """{"query":"x","limit":2.5}""");
        await InvalidAsync(search, """{"query":"x","limit":"3"}""");
        await InvalidAsync(search, """{"query":"x","other":1}""");
    }

    [Fact]
    public async Task TheDescribeSchema_WantsANameOfAtMost200Characters_AndNothingElse()
    {
        var describe = Definition(DiscoveryTools.DescribeName);

        await ValidAsync(describe, $$"""{"name":"{{new string('n', 200)}}"}""");
        await InvalidAsync(describe, $$"""{"name":"{{new string('n', 201)}}"}""");
        await InvalidAsync(describe, """{"name":1}""");
        await InvalidAsync(describe, """{}""");
        await InvalidAsync(describe, """{"name":"a.b","other":1}""");
    }

    [Fact]
    public async Task Search_GivesTenByDefault_OrTheLimit_BestFirst_WithOneLineDescriptions()
    {
        var registry = new ToolRegistry(Enumerable.Range(0, 15).Select(i =>
            new ToolDefinition($"ns.report{i:00}", $"Report number {i}.\nSecond line.", new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult<JsonNode?>(null))));
        var search = Definition(DiscoveryTools.SearchName, registry: registry);

        var ten = (await InvokeAsync(search, new JsonObject { ["query"] = "report" }))!.AsArray();
        var three = (await InvokeAsync(search, new JsonObject { ["query"] = "report", ["limit"] = 3 }))!.AsArray();

        Assert.Equal(DiscoveryTools.DefaultLimit, ten.Count);
        Assert.Equal("""[{"name":"ns.report00","description":"Report number 0."},{"name":"ns.report01","description":"Report number 1."},{"name":"ns.report02","description":"Report number 2."}]""", three.ToJsonString());
    }

    [Fact]
    public async Task Describe_OfAnUnknownTool_SuggestsANearName_OrTheSearch()
    {
        var registry = new ToolRegistry([new ToolDefinition("crm.listOrder", "Lists orders.", new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult<JsonNode?>(null))]);
        var describe = Definition(DiscoveryTools.DescribeName, registry: registry);

        var near = await FailsAsync(describe, new JsonObject { ["name"] = "crm.listOrders" });
        var far = await FailsAsync(describe, new JsonObject { ["name"] = "zzz.qqq" });
        var known = await InvokeAsync(describe, new JsonObject { ["name"] = "crm.listOrder" });

        Assert.Equal(ScriptErrorCode.ToolNotFound, near.Error.Code);
        Assert.Equal("tool 'crm.listOrders' does not exist; did you mean crm.listOrder?", near.Message);
        Assert.Equal("tool 'zzz.qqq' does not exist; find names with tools.$search(query)", far.Message);
        Assert.Contains("listOrder(args", known!.GetValue<string>(), StringComparison.Ordinal);
    }

    // A state store on a dictionary, with the failures a real one has.
    private sealed class DictionaryStore : IScriptStateStore
    {
        public ConcurrentDictionary<string, byte[]> Documents { get; } = new();

        public bool FailSaves { get; init; }

        public bool SavesSeeCancellation { get; init; }

        public bool Hang { get; init; }

        public bool HangSaves { get; init; }

        public string Text(string conversation) => Encoding.UTF8.GetString(Documents[conversation]);

        public async ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken)
        {
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return Documents.TryGetValue(conversationId, out var bytes) ? bytes : null;
        }

        public async ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
        {
            if (HangSaves)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (SavesSeeCancellation)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (FailSaves)
            {
                throw new InvalidOperationException("connection refused at 10.0.0.7:6379");
            }

            Documents[conversationId] = document;
        }
    }
}
