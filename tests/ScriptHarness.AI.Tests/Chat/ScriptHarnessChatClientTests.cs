using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.AI.Chat;
using ScriptHarness.AI.Tools;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests.Chat;

public sealed class ScriptHarnessChatClientTests
{
    private const string AddReply = "Let me add.\n<tool-calls>\nreturn await tools.app.add({ a: 2, b: 3 });\n</tool-calls>";

    [Fact]
    public async Task Response_WithABlock_RunsIt_FeedsTheResultBack_AndLoopsUntilNoBlock()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new ScriptedChatClient(AddReply, "The sum is 5.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is 2 + 3?")]);

        Assert.Equal(2, model.Requests.Count);
        var fedBack = model.Requests[1].Messages[^1];
        Assert.Equal(ChatRole.User, fedBack.Role);
        Assert.StartsWith("<tool-results>\n{\"type\":\"script_result\",\"index\":1,\"status\":\"ok\",\"value\":5,", fedBack.Text, StringComparison.Ordinal);
        Assert.Equal("The sum is 5.", response.Messages[^1].Text);
    }

    [Fact]
    public async Task Instructions_CarryTheRulesAndTheTypeScriptDeclarations_KeepingTheCallersOwn()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new ScriptedChatClient("No tools needed.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Instructions = "Be brief." });

        var instructions = model.Requests[0].Options!.Instructions!;
        Assert.StartsWith("Be brief.\n\n", instructions, StringComparison.Ordinal);
        Assert.Contains("<tool-calls>", instructions, StringComparison.Ordinal);
        Assert.Contains("add(args: { a: number; b: number }): Promise<number>;", instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachRun_IsSurfacedAsCodeInterpreterContents_WhichTheModelNeverSees()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new ScriptedChatClient(AddReply, "5.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "2 + 3?")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<CodeInterpreterToolCallContent>());
        var source = Assert.IsType<DataContent>(Assert.Single(call.Inputs!));
        Assert.Equal("text/javascript", source.MediaType);
        Assert.Equal("return await tools.app.add({ a: 2, b: 3 });", Encoding.UTF8.GetString(source.Data.Span));
        var result = Assert.Single(contents.OfType<CodeInterpreterToolResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.Contains("\"value\":5", Assert.IsType<TextContent>(Assert.Single(result.Outputs!)).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Requests[1].Messages.SelectMany(m => m.Contents), c => c is CodeInterpreterToolCallContent or CodeInterpreterToolResultContent);
    }

    [Fact]
    public async Task MaxIterations_StopsTheLoop_AndReturnsTheLastResponseWithItsBlockUnrun()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new ScriptedChatClient(AddReply, AddReply, AddReply);
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness, o => o with { MaxIterations = 2 }).Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "loop")]);

        Assert.Equal(2, model.Requests.Count);
        Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<CodeInterpreterToolResultContent>());
        Assert.Equal(AddReply, response.Messages[^1].Text);
    }

    [Fact]
    public void InvalidOptions_AreRefusedWhenTheClientIsBuilt_ListingEveryProblem()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        using var model = new ScriptedChatClient();

        var error = Assert.Throws<ConfigurationException>(() => new ScriptHarnessChatClient(model, harness, harness.Tools,
            new ScriptHarnessChatClientOptions { MaxIterations = 0, ApprovalTimeout = TimeSpan.Zero }));

        Assert.Equal(2, error.Problems.Count);
    }

    [Fact]
    public async Task Streaming_StartsEachBlockTheMomentItCloses_WhileTheModelStillStreams()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signal = AIFunctionFactory.Create(() => { started.TrySetResult(); return "seen"; }, "signal");
        using var harness = Harnesses.Create(signal);
        var reply = "<tool-calls>\nreturn await tools.app.signal();\n</tool-calls>\nAnd more prose after the block.";
        var closed = reply.IndexOf("</tool-calls>", StringComparison.Ordinal) + "</tool-calls>".Length;
        var sent = 0;
        var model = new ScriptedChatClient(reply, "done")
        {
            ChunkSize = 5,
            // Once the closing tag is out, the rest of the reply is held back until the block has run: a client that
            // waited for the end of the stream to start it would never see the rest (the wait fails the test).
            AfterChunk = async chunk =>
            {
                sent += chunk.Length;
                if (sent >= closed && sent - chunk.Length < reply.Length - 1)
                {
                    await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
                }
            },
        };
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            updates.Add(update);
        }

        Assert.True(started.Task.IsCompletedSuccessfully);
        Assert.Contains("\"value\":\"seen\"", model.Requests[1].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal("done", updates[^1].Text);
    }

    [Fact]
    public async Task NestedApproval_Approved_ReachesTheCallerAsTheRealToolCall_AndResumesTheSuspendedScript()
    {
        var (harness, client, model) = CreateApprovalConversation("approved.txt", out _);
        using (harness)
        using (client)
        {
            List<ChatMessage> conversation = [new(ChatRole.User, "delete approved.txt")];
            var first = await client.GetResponseAsync(conversation);

            var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
            var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
            Assert.Equal("fs.delete_file", call.Name);
            Assert.Equal("approved.txt", ((JsonElement)call.Arguments!["path"]!).GetString());
            Assert.Single(model.Requests);
            lock (Harnesses.Deleted)
            {
                Assert.DoesNotContain("approved.txt", Harnesses.Deleted);
            }

            conversation.AddRange(first.Messages);
            conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
            var second = await client.GetResponseAsync(conversation);

            lock (Harnesses.Deleted)
            {
                Assert.Contains("approved.txt", Harnesses.Deleted);
            }

            Assert.Contains("\"value\":\"deleted approved.txt\"", model.Requests[1].Messages[^1].Text, StringComparison.Ordinal);
            Assert.DoesNotContain(model.Requests[1].Messages.SelectMany(m => m.Contents), c => c is ToolApprovalRequestContent or ToolApprovalResponseContent);
            Assert.Equal("Done.", second.Messages[^1].Text);
        }
    }

    [Fact]
    public async Task NestedApproval_Denied_TheScriptSeesApprovalDeniedWithTheReason()
    {
        var (harness, client, model) = CreateApprovalConversation("denied.txt", out _);
        using (harness)
        using (client)
        {
            List<ChatMessage> conversation = [new(ChatRole.User, "delete denied.txt")];
            var first = await client.GetResponseAsync(conversation);
            var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

            conversation.AddRange(first.Messages);
            conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(false, "keep that file")]));
            await client.GetResponseAsync(conversation);

            var results = model.Requests[1].Messages[^1].Text;
            Assert.Contains("\"code\":\"approval_denied\"", results, StringComparison.Ordinal);
            Assert.Contains("keep that file", results, StringComparison.Ordinal);
            lock (Harnesses.Deleted)
            {
                Assert.DoesNotContain("denied.txt", Harnesses.Deleted);
            }
        }
    }

    [Fact]
    public async Task NestedApproval_Unanswered_EndsWithApprovalTimeout()
    {
        var (harness, client, model) = CreateApprovalConversation("late.txt", out var time);
        using (harness)
        using (client)
        {
            List<ChatMessage> conversation = [new(ChatRole.User, "delete late.txt")];
            var first = await client.GetResponseAsync(conversation);
            var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

            time.Advance(TimeSpan.FromMinutes(6));
            conversation.AddRange(first.Messages);
            conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
            await client.GetResponseAsync(conversation);

            Assert.Contains("\"code\":\"approval_timeout\"", model.Requests[1].Messages[^1].Text, StringComparison.Ordinal);
            lock (Harnesses.Deleted)
            {
                Assert.DoesNotContain("late.txt", Harnesses.Deleted);
            }
        }
    }

    [Fact]
    public async Task NestedApproval_InAStreamedResponse_EndsTheStreamWithTheRequest_AndTheNextStreamResumes()
    {
        var (harness, client, model) = CreateApprovalConversation("streamed.txt", out _);
        using (harness)
        using (client)
        {
            List<ChatMessage> conversation = [new(ChatRole.User, "delete streamed.txt")];
            var first = await client.GetStreamingResponseAsync(conversation).ToChatResponseAsync();
            var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());

            conversation.AddRange(first.Messages);
            conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
            var second = await client.GetStreamingResponseAsync(conversation).ToChatResponseAsync();

            lock (Harnesses.Deleted)
            {
                Assert.Contains("streamed.txt", Harnesses.Deleted);
            }

            Assert.Equal("Done.", second.Messages[^1].Text);
            Assert.Equal(2, model.Requests.Count);
        }
    }

    [Fact]
    public async Task NestedApprovals_OfTwoParallelScripts_AreEachAskedUntilAnswered_AndBothResume()
    {
        using var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAll);
        var model = new ScriptedChatClient(
            "<tool-calls>\nreturn await tools.fs.delete_file({ path: 'p1.txt' });\n</tool-calls>\n<tool-calls>\nreturn await tools.fs.delete_file({ path: 'p2.txt' });\n</tool-calls>",
            "Both done.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();
        List<ChatMessage> conversation = [new(ChatRole.User, "delete both")];
        var asked = new List<string>();

        // Answer one request per round, as a UI that shows them one at a time would.
        ChatResponse response;
        var rounds = 0;
        while (true)
        {
            response = await client.GetResponseAsync(conversation);
            conversation.AddRange(response.Messages);
            var request = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().FirstOrDefault();
            if (request is null || ++rounds > 4)
            {
                break;
            }

            asked.Add(((JsonElement)((FunctionCallContent)request.ToolCall).Arguments!["path"]!).GetString()!);
            conversation.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(true)]));
        }

        Assert.Equal(["p1.txt", "p2.txt"], asked.Order(StringComparer.Ordinal));
        Assert.Equal("Both done.", response.Messages[^1].Text);
        var results = model.Requests[1].Messages[^1].Text;
        Assert.Contains("\"value\":\"deleted p1.txt\"", results, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"deleted p2.txt\"", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestedApproval_CannotBeAnsweredFromAnotherConversation_ByGuessingItsId()
    {
        // One client serves two users (a singleton in a web app). Before: a request id was the client's key, a run
        // counter and the call's id, so user B, shown one of their own, could answer user A's by counting.
        using var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAll);
        var model = new ScriptedChatClient(
            "<tool-calls>\nreturn await tools.fs.delete_file({ path: 'a-secret.txt' });\n</tool-calls>",
            "<tool-calls>\nreturn await tools.fs.delete_file({ path: 'b-own.txt' });\n</tool-calls>",
            "B is done.",
            "A is done.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();
        var a = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "delete a-secret.txt")]);
        var aRequest = a.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        List<ChatMessage> b = [new(ChatRole.User, "delete b-own.txt")];
        var bFirst = await client.GetResponseAsync(b);
        b.AddRange(bFirst.Messages);
        var bRequest = bFirst.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        // B approves every id its own could have been with other small numbers in it, and denies its own.
        var guesses = Guesses(bRequest.RequestId).Where(id => id != bRequest.RequestId).ToList();
        Assert.NotEmpty(guesses);
        b.Add(new ChatMessage(ChatRole.User,
            [bRequest.CreateResponse(false, "no"), .. guesses.Select(id => (AIContent)new ToolApprovalResponseContent(id, true, bRequest.ToolCall))]));
        var bSecond = await client.GetResponseAsync(b);

        Assert.Equal("B is done.", bSecond.Messages[^1].Text);
        Assert.DoesNotContain("a-secret", string.Concat(bSecond.Messages.Select(m => m.Text)), StringComparison.Ordinal);
        lock (Harnesses.Deleted)
        {
            Assert.DoesNotContain("a-secret.txt", Harnesses.Deleted);
        }

        // A's request is still A's to answer.
        var aSecond = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "delete a-secret.txt"), .. a.Messages, new ChatMessage(ChatRole.User, [aRequest.CreateResponse(false, "not now")])]);
        Assert.Equal("A is done.", aSecond.Messages[^1].Text);
        Assert.Contains("not now", model.Requests[^1].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MaxSuspendedRuns_CancelsTheOldestRunOfTheConversationThatKeepsTheMost(bool conversations)
    {
        // Two runs may wait. Alice's waits first, then Bob's two: past the bound, Bob's oldest goes (before: Alice's,
        // the oldest of all). Requests that name no conversation count as one, and the oldest of all goes.
        var alice = $"alice-{conversations}.txt";
        using var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAll);
        var model = new ScriptedChatClient(
            $"<tool-calls>\nreturn await tools.fs.delete_file({{ path: '{alice}' }});\n</tool-calls>",
            "<tool-calls>\nreturn await tools.fs.delete_file({ path: 'bob-1.txt' });\n</tool-calls>",
            "<tool-calls>\nreturn await tools.fs.delete_file({ path: 'bob-2.txt' });\n</tool-calls>",
            "Done.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness, o => o with { MaxSuspendedRuns = 2 }).Build();
        ChatOptions? Of(string user) => conversations ? new ChatOptions { ConversationId = user } : null;
        async Task<(List<ChatMessage> Conversation, ToolApprovalRequestContent Request)> AskAsync(string user, string text)
        {
            List<ChatMessage> conversation = [new(ChatRole.User, text)];
            var response = await client.GetResponseAsync(conversation, Of(user));
            conversation.AddRange(response.Messages);
            return (conversation, response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single());
        }

        var asked = await AskAsync("alice", "delete " + alice);
        await AskAsync("bob", "delete bob-1.txt");
        await AskAsync("bob", "delete bob-2.txt");

        asked.Conversation.Add(new ChatMessage(ChatRole.User, [asked.Request.CreateResponse(true)]));
        var answer = await client.GetResponseAsync(asked.Conversation, Of("alice"));

        Assert.Equal("Done.", answer.Messages[^1].Text);
        lock (Harnesses.Deleted)
        {
            Assert.Equal(conversations, Harnesses.Deleted.Contains(alice));
        }

        Assert.Equal(conversations, model.Requests[^1].Messages[^1].Text.Contains($"\"value\":\"deleted {alice}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachRunOfAConversation_IsItsOwnTurn_NamedByItsRunNumber()
    {
        // The turn names the run's calls (turn-N/s0#1) and keys its telemetry: it is the run's own number, taken once.
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new ScriptedChatClient(AddReply, "First.", AddReply, "Second.");
        using var client = new ChatClientBuilder(model).UseScriptHarness(harness).Build();
        var options = new ChatOptions { ConversationId = "conv-turns" };

        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "add")], options);
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "add again")], options);

        foreach (var (response, run) in new[] { (first, 1), (second, 2) })
        {
            var result = response.Messages.SelectMany(m => m.Contents).OfType<CodeInterpreterToolResultContent>().Single();
            Assert.EndsWith($"-{run}/s1", result.CallId, StringComparison.Ordinal);
            Assert.Contains($"\"id\":\"turn-{run}/s1#1\"", ((TextContent)result.Outputs![0]).Text, StringComparison.Ordinal);
        }
    }

    // Every string that differs from id only in its counters (numbers standing alone, not inside a hex key), each 0 to 3.
    private static IEnumerable<string> Guesses(string id)
    {
        var parts = System.Text.RegularExpressions.Regex.Split(id, "([0-9]+)");
        IEnumerable<string> texts = [string.Empty];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var alone = i % 2 == 1 && part.Length < 4
                && (parts[i - 1].Length == 0 || !char.IsAsciiLetter(parts[i - 1][^1]))
                && (i + 1 == parts.Length || parts[i + 1].Length == 0 || !char.IsAsciiLetter(parts[i + 1][0]));
            texts = alone
                ? texts.SelectMany(t => Enumerable.Range(0, 4).Select(n => t + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                : texts.Select(t => t + part);
        }

        return texts.Distinct(StringComparer.Ordinal);
    }

    private static (HarnessPipeline, IChatClient, ScriptedChatClient) CreateApprovalConversation(string path, out FakeTimeProvider time)
    {
        var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAll);
        var model = new ScriptedChatClient($"<tool-calls>\nreturn await tools.fs.delete_file({{ path: '{path}' }});\n</tool-calls>", "Done.");
        var clock = new FakeTimeProvider();
        time = clock;
        var client = new ChatClientBuilder(model).UseScriptHarness(harness, o => o with { TimeProvider = clock }).Build();
        return (harness, client, model);
    }
}
