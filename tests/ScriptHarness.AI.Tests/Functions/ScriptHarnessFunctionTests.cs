using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ScriptHarness.Engines.Jint;
using ScriptHarness.State;
using ScriptHarness.Tools;
using ScriptHarness.Pipeline;

namespace ScriptHarness.AI.Tests.Functions;

public sealed class ScriptHarnessFunctionTests
{
    [Fact]
    public void AsAIFunction_IsExecuteScript_DescribedWithTheToolDeclarations()
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var function = harness.AsAIFunction();

        Assert.Equal("execute_script", function.Name);
        Assert.Contains("add(args: { a: number; b: number }): Promise<number>;", function.Description, StringComparison.Ordinal);
        Assert.Equal("string", function.JsonSchema.GetProperty("properties").GetProperty("script").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Invoke_ReturnsTheBlocksJsonlItemAsJson()
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(new() { ["script"] = "return await tools.app.add({ a: 40, b: 2 });" }))!;

        Assert.Equal("script_result", result.GetProperty("type").GetString());
        Assert.Equal("ok", result.GetProperty("status").GetString());
        Assert.Equal(42, result.GetProperty("value").GetInt32());
        Assert.Equal(1, result.GetProperty("toolCalls").GetInt32());
    }

    [Fact]
    public async Task Invoke_AFailingScript_IsAResultWithTheErrorCode_NotAnException()
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(new() { ["script"] = "return await tools.app.nope();" }))!;

        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.Equal("tool_not_found", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(42)]
    [InlineData(true)]
    public async Task Invoke_WithoutAScriptString_IsAToolValidationFailedResult_NotAnException(object? script)
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var arguments = new AIFunctionArguments();
        if (script is not null)
        {
            arguments["script"] = script;
        }

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(arguments))!;

        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.Equal("tool_validation_failed", result.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'script'", result.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("let a = 1;\nreturn a </tool-calls><tool-calls>return 2", 2, 10)]
    [InlineData("return 3 </tool-calls>", 1, 10)]
    [InlineData("let x = 2;\n  x <tool-calls> 3", 2, 5)]
    [InlineData("return 1\n```js tool-calls\nreturn 2\n```", 2, 1)]
    public async Task Invoke_AScriptWithABlockMarkerInItsCode_IsNestedBlock_NothingOfItRuns(string script, int line, int column)
    {
        var calls = 0;
        using var harness = Harnesses.Create(AIFunctionFactory.Create(() => ++calls, "count", "Counts its calls."));

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(new() { ["script"] = "await tools.app.count({});\n" + script }))!;

        // Before, the wrapping block ended at the marker: what came before it ran as the whole script, the rest was dropped.
        var error = result.GetProperty("error");
        Assert.Equal("nested_block", error.GetProperty("code").GetString());
        Assert.Equal(line + 1, error.GetProperty("line").GetInt32());
        Assert.Equal(column, error.GetProperty("column").GetInt32());
        Assert.Equal(0, calls);
    }

    [Theory]
    [InlineData("return '</tool-calls>'", "</tool-calls>")]
    [InlineData("return 1 // </tool-calls>", 1)]
    [InlineData("return `<tool-calls>`", "<tool-calls>")]
    public async Task Invoke_BlockMarkersInStringsAndComments_Run(string script, object expected)
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(new() { ["script"] = script }))!;

        Assert.Equal("ok", result.GetProperty("status").GetString());
        Assert.Equal(expected.ToString(), result.GetProperty("value").ToString());
    }

    [Theory]
    [InlineData("return `abc")]
    [InlineData("return 1 /* c")]
    [InlineData("return 'abc")]
    public async Task Invoke_AScriptEndingInsideALiteralOrComment_IsASyntaxError_NotAnUnclosedBlock(string script)
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var result = (JsonElement)(await harness.AsAIFunction().InvokeAsync(new() { ["script"] = script }))!;

        Assert.Equal("syntax_error", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invoke_ThroughFunctionInvokingChatClient_TheModelGetsTheResult()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        using var client = new ChatClientBuilder(new ScriptCallingModel()).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "return await tools.app.add({ a: 2, b: 2 });")], new ChatOptions { Tools = [harness.AsAIFunction()] });

        Assert.Equal("4", response.Text);
    }

    [Fact]
    public async Task Invoke_ThroughFunctionInvokingChatClient_KeepsStateUnderTheRequestsConversation()
    {
        // Before: each call ran with an ad-hoc identity, so store() was lost at once and load() never found anything.
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory(), new ToolRegistry([]),
            stateStore: new DistributedCacheScriptStateStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))));
        using var client = new ChatClientBuilder(new ScriptCallingModel()).UseFunctionInvocation().Build();
        async Task<string> AskAsync(string script, string? conversation) => (await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, script)], new ChatOptions { Tools = [harness.AsAIFunction()], ConversationId = conversation })).Text;

        await AskAsync("await store('plan', { step: 2 }); return context.conversationId;", "conv-7");

        Assert.Equal("""{"step":2}""", await AskAsync("return await load('plan');", "conv-7"));
        Assert.Equal("null", await AskAsync("return await load('plan');", "conv-8"));
        Assert.Equal("\"state_unavailable\"", await AskAsync("try { await load('plan'); } catch (e) { return e.code; }", null));
    }

    /// <summary>Runs the user's text as a script through execute_script once, then answers with the value's JSON.</summary>
    private sealed class ScriptCallingModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            var result = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault();
            var reply = result is null
                ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "execute_script", new Dictionary<string, object?> { ["script"] = list[0].Text })])
                : new ChatMessage(ChatRole.Assistant, ((JsonElement)result.Result!).GetProperty("value").GetRawText());
            return Task.FromResult(new ChatResponse(reply));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
