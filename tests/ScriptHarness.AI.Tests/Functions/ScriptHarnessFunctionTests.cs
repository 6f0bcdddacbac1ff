using System.Text.Json;
using Microsoft.Extensions.AI;
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

    [Fact]
    public async Task Invoke_ThroughFunctionInvokingChatClient_TheModelGetsTheResult()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var model = new FunctionCallingModel();
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "2+2")], new ChatOptions { Tools = [harness.AsAIFunction()] });

        Assert.Equal("4", response.Text);
    }

    /// <summary>Calls execute_script once, then answers with the value it got back.</summary>
    private sealed class FunctionCallingModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault();
            var reply = result is null
                ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "execute_script", new Dictionary<string, object?> { ["script"] = "return await tools.app.add({ a: 2, b: 2 });" })])
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
