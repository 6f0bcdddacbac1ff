using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.State;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests.Chat;

/// <summary>
/// The chat client over a harness with durable approvals: a suspended block ends the turn with an approval request
/// carrying its resume token, and the answer — in a later request, to a new client and harness built on the same state
/// store (the host restarted) — resumes it and gives the model the block's result. On the in-memory cache and a real Redis.
/// </summary>
public sealed class DurableChatApprovalTests
{
    public static TheoryData<string> Kinds => ["memory", "redis"];

    /// <summary>The host's tools; counts handler runs, so a replay that ran a logged call again would show.</summary>
    private sealed class Host
    {
        public int Reads;
        public int Sends;

        public ToolRegistry Registry() => new([
            new ToolDefinition("crm.read", "reads", new JsonObject { ["type"] = "object" }, (args, _, _) =>
                ValueTask.FromResult<JsonNode?>(new JsonObject { ["n"] = Interlocked.Increment(ref Reads) })),
            new ToolDefinition("mail.send", "sends", new JsonObject { ["type"] = "object" }, (args, _, _) =>
            {
                Interlocked.Increment(ref Sends);
                return ValueTask.FromResult<JsonNode?>(JsonValue.Create("sent to " + (string?)args?["to"]));
            }) { RequiresApproval = true },
        ]);
    }

    /// <summary>One host instance: a harness with durable approvals on the shared store, and a chat client over a model.</summary>
    private sealed class Instance : IDisposable
    {
        public Instance(IDistributedCache cache, string prefix, Host host, params string[] replies)
        {
            Harness = new HarnessPipeline(new ScriptHarnessOptions { DurableApprovals = true }, new JintEngineFactory(), host.Registry(),
                stateStore: new DistributedCacheScriptStateStore(cache, new ScriptStateStoreOptions { KeyPrefix = prefix }));
            Model = new ScriptedChatClient(replies);
            Client = new ChatClientBuilder(Model).UseScriptHarness(Harness).Build();
        }

        public HarnessPipeline Harness { get; }

        public ScriptedChatClient Model { get; }

        public IChatClient Client { get; }

        /// <summary>What the model was last sent as the blocks' results.</summary>
        public string LastResults => Model.Requests[^1].Messages[^1].Text;

        public void Dispose()
        {
            Client.Dispose();
            Harness.Dispose();
        }
    }

    private static IDistributedCache Cache(string kind)
    {
        if (kind == "memory")
        {
            return new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        }

        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        return new RedisCache(new RedisCacheOptions { Configuration = TestRedis.Address });
    }

    private static string Prefix() => "chat:" + Guid.NewGuid().ToString("N") + ":";

    private const string SendReply = """
        Sending.
        <tool-calls>
        const a = await tools.crm.read({});
        const b = await tools.crm.read({});
        return await tools.mail.send({ to: 'ann@example.com', n: a.n + b.n });
        </tool-calls>
        """;

    private static ToolApprovalRequestContent Request(ChatResponse response) =>
        Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());

    private static List<ToolApprovalRequestContent> Requests(ChatResponse response) =>
        [.. response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>()];

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public async Task Suspended_EndsTheTurnWithTheRealCall_AndANewClientOnTheSameStoreResumesItApproved(string kind)
    {
        var cache = Cache(kind);
        var prefix = Prefix();
        var host = new Host();
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        ToolApprovalRequestContent request;
        using (var first = new Instance(cache, prefix, host, SendReply))
        {
            var response = await first.Client.GetResponseAsync(conversation);
            request = Request(response);
            conversation.AddRange(response.Messages);
            Assert.Single(first.Model.Requests); // the turn ended: the model was not called with results
        }

        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Equal("mail.send", call.Name);
        Assert.Equal("ann@example.com", ((JsonElement)call.Arguments!["to"]!).GetString());
        Assert.Matches("/resume/[0-9a-f]{32}$", request.RequestId);
        Assert.Equal((2, 0), (host.Reads, host.Sends));

        // The host restarted: nothing of the first client or harness is left but the store.
        using var second = new Instance(cache, prefix, host, "Sent.");
        conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
        var done = await second.Client.GetResponseAsync(conversation);

        Assert.Equal((2, 1), (host.Reads, host.Sends)); // the logged reads came from the log
        Assert.StartsWith("<tool-results>\n{\"type\":\"script_result\",\"index\":1,\"status\":\"ok\",\"value\":\"sent to ann@example.com\"", second.LastResults, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Model.Requests[0].Messages.SelectMany(m => m.Contents),
            c => c is ToolApprovalRequestContent or ToolApprovalResponseContent or CodeInterpreterToolResultContent);
        Assert.Equal("Sent.", done.Messages[^1].Text);
    }

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public async Task Denied_InANewClient_TheScriptSeesApprovalDeniedWithTheReason(string kind)
    {
        var cache = Cache(kind);
        var prefix = Prefix();
        var host = new Host();
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        using (var first = new Instance(cache, prefix, host, SendReply))
        {
            conversation.AddRange((await first.Client.GetResponseAsync(conversation)).Messages);
        }

        var request = conversation.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        using var second = new Instance(cache, prefix, host, "Not sent.");
        conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(false, "not to ann")]));
        await second.Client.GetResponseAsync(conversation);

        Assert.Contains("\"code\":\"approval_denied\"", second.LastResults, StringComparison.Ordinal);
        Assert.Contains("not to ann", second.LastResults, StringComparison.Ordinal);
        Assert.Equal(0, host.Sends);
    }

    [Fact]
    public async Task AnUnknownToken_IsTheBlocksResult_ResumeTokenUnknown_NotAnException()
    {
        var cache = Cache("memory");
        var host = new Host();
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        using (var first = new Instance(cache, Prefix(), host, SendReply))
        {
            conversation.AddRange((await first.Client.GetResponseAsync(conversation)).Messages);
        }

        // The answer reaches an instance whose store never had the token (expired and forgotten, or another store).
        var request = conversation.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
        using var second = new Instance(cache, Prefix(), host, "That did not work.");
        var answer = await second.Client.GetResponseAsync(conversation);

        Assert.Contains("\"status\":\"error\"", second.LastResults, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"resume_token_unknown\"", second.LastResults, StringComparison.Ordinal);
        Assert.Equal("That did not work.", answer.Messages[^1].Text);
        Assert.Equal(0, host.Sends);
    }

    [Fact]
    public async Task AnAnswerRebuiltFromTheRequestIdAlone_ResumesTheBlock_AndNeverReachesTheModel()
    {
        var cache = Cache("memory");
        var prefix = Prefix();
        var host = new Host();
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        using (var first = new Instance(cache, prefix, host, SendReply))
        {
            conversation.AddRange((await first.Client.GetResponseAsync(conversation)).Messages);
        }

        // A UI that kept only the request's id and built its own tool call (none of the client's marks on it).
        var requestId = conversation.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single().RequestId;
        conversation.Add(new ChatMessage(ChatRole.User, [new ToolApprovalResponseContent(requestId, true, new FunctionCallContent("ui-1", "mail.send"))]));
        using var second = new Instance(cache, prefix, host, "Sent.");
        await second.Client.GetResponseAsync(conversation);

        Assert.Equal(1, host.Sends);
        Assert.DoesNotContain(second.Model.Requests[0].Messages.SelectMany(m => m.Contents), c => c is ToolApprovalResponseContent);
    }

    [Fact]
    public async Task AForgedRequestId_ResumesNothing_AndTheRealRequestIsAskedAgain()
    {
        var cache = Cache("memory");
        var host = new Host();
        using var instance = new Instance(cache, Prefix(), host, SendReply);
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        var response = await instance.Client.GetResponseAsync(conversation);
        conversation.AddRange(response.Messages);
        var request = Request(response);

        var forged = request.RequestId[..^32] + new string('a', 32);
        conversation.Add(new ChatMessage(ChatRole.User, [new ToolApprovalResponseContent(forged, true, request.ToolCall)]));
        var again = await instance.Client.GetResponseAsync(conversation);

        var result = Assert.Single(again.Messages.SelectMany(m => m.Contents).OfType<CodeInterpreterToolResultContent>());
        Assert.Contains("\"code\":\"resume_token_unknown\"", Assert.IsType<TextContent>(Assert.Single(result.Outputs!)).Text, StringComparison.Ordinal);
        Assert.Equal(request.RequestId, Request(again).RequestId);
        Assert.Single(instance.Model.Requests);
        Assert.Equal(0, host.Sends);
    }

    [Fact]
    public async Task AnAnswerIsActedOnOnce_HoweverOftenTheConversationIsSentAgain()
    {
        var cache = Cache("memory");
        var prefix = Prefix();
        var host = new Host();
        List<ChatMessage> conversation = [new(ChatRole.User, "mail ann")];
        using (var first = new Instance(cache, prefix, host, SendReply))
        {
            conversation.AddRange((await first.Client.GetResponseAsync(conversation)).Messages);
        }

        var request = conversation.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
        using var second = new Instance(cache, prefix, host, "Sent.", "You are welcome.");
        conversation.AddRange((await second.Client.GetResponseAsync(conversation)).Messages);

        // The next turn carries the old answer again (as every later request does): it resumes nothing.
        conversation.Add(new ChatMessage(ChatRole.User, "thanks"));
        var next = await second.Client.GetResponseAsync(conversation);

        Assert.Equal(1, host.Sends);
        Assert.Equal("You are welcome.", next.Messages[^1].Text);
        Assert.Equal("thanks", second.Model.Requests[^1].Messages[^1].Text);
    }

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public async Task TwoSuspendedBlocks_AnsweredOneARound_EachByAnotherClient_TheModelGetsEveryBlocksResultInOrder(string kind)
    {
        var cache = Cache(kind);
        var prefix = Prefix();
        var host = new Host();
        const string Reply = """
            <tool-calls>
            return (await tools.crm.read({})).n;
            </tool-calls>
            <tool-calls>
            return await tools.mail.send({ to: 'one@example.com' });
            </tool-calls>
            <tool-calls>
            return await tools.mail.send({ to: 'two@example.com' });
            </tool-calls>
            """;
        List<ChatMessage> conversation = [new(ChatRole.User, "mail both")];
        using (var first = new Instance(cache, prefix, host, Reply))
        {
            var response = await first.Client.GetResponseAsync(conversation);
            conversation.AddRange(response.Messages);
            Assert.Equal(2, Requests(response).Count);
        }

        // Answer the first request only: the client resumes that block and asks again for the other.
        var asked = conversation.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
        conversation.Add(new ChatMessage(ChatRole.User, [asked[0].CreateResponse(true)]));
        using (var second = new Instance(cache, prefix, host))
        {
            var response = await second.Client.GetResponseAsync(conversation);
            conversation.AddRange(response.Messages);
            Assert.Equal(asked[1].RequestId, Request(response).RequestId);
            Assert.Empty(second.Model.Requests);
        }

        Assert.Equal(1, host.Sends);
        conversation.Add(new ChatMessage(ChatRole.User, [asked[1].CreateResponse(true)]));
        using var third = new Instance(cache, prefix, host, "Both sent.");
        var done = await third.Client.GetResponseAsync(conversation);

        var lines = third.LastResults.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Contains("\"index\":0,\"status\":\"ok\",\"value\":1,", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"index\":2,\"status\":\"ok\",\"value\":\"sent to one@example.com\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"index\":4,\"status\":\"ok\",\"value\":\"sent to two@example.com\"", lines[3], StringComparison.Ordinal);
        Assert.Equal((1, 2), (host.Reads, host.Sends));
        Assert.Equal("Both sent.", done.Messages[^1].Text);
    }

    [Fact]
    public async Task ABlockThatSuspendsAgainOnResume_AsksAgainWithANewToken_Streaming()
    {
        var cache = Cache("memory");
        var prefix = Prefix();
        var host = new Host();
        const string Reply = """
            <tool-calls>
            await tools.mail.send({ to: 'one@example.com' });
            return await tools.mail.send({ to: 'two@example.com' });
            </tool-calls>
            """;
        List<ChatMessage> conversation = [new(ChatRole.User, "mail twice")];
        using var first = new Instance(cache, prefix, host, Reply, "Twice.");
        var response = await first.Client.GetStreamingResponseAsync(conversation).ToChatResponseAsync();
        conversation.AddRange(response.Messages);
        var one = Request(response);
        conversation.Add(new ChatMessage(ChatRole.User, [one.CreateResponse(true)]));

        using var second = new Instance(cache, prefix, host, "Twice.");
        response = await second.Client.GetStreamingResponseAsync(conversation).ToChatResponseAsync();
        conversation.AddRange(response.Messages);
        var two = Request(response);
        Assert.NotEqual(one.RequestId, two.RequestId);
        Assert.Equal("two@example.com", ((JsonElement)((FunctionCallContent)two.ToolCall).Arguments!["to"]!).GetString());
        Assert.Equal(1, host.Sends);

        conversation.Add(new ChatMessage(ChatRole.User, [two.CreateResponse(true)]));
        var done = await second.Client.GetStreamingResponseAsync(conversation).ToChatResponseAsync();

        Assert.Equal(2, host.Sends);
        Assert.Contains("\"value\":\"sent to two@example.com\"", second.LastResults, StringComparison.Ordinal);
        Assert.Equal("Twice.", done.Messages[^1].Text);
    }
}
