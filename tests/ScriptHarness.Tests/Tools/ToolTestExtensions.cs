using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>Calls a toolset's tools the way the harness will: by full name, with JSON arguments.</summary>
internal static class ToolTestExtensions
{
    public static ScriptContext Script(string scriptId = "turn-1/s0") => new()
    {
        ConversationId = "conv-test",
        SessionId = "sess-test",
        TurnId = "turn-1",
        ScriptId = scriptId,
    };

    public static ToolDefinition Tool(this ToolSet set, string name) => set.Tools.Single(t => t.Name == name);

    public static ValueTask<JsonNode?> InvokeAsync(
        this ToolSet set, string name, JsonNode? arguments, ScriptContext? script = null, CancellationToken cancellationToken = default) =>
        set.Tool(name).Handler(arguments, new ToolCallContext("call-1", name, script ?? Script()), cancellationToken);

    /// <summary>Invokes <paramref name="name"/> from arguments written as JSON text.</summary>
    public static ValueTask<JsonNode?> InvokeAsync(this ToolSet set, string name, string argumentsJson, ScriptContext? script = null) =>
        set.InvokeAsync(name, JsonNode.Parse(argumentsJson), script);

    public static async Task<ToolException> FailsAsync(this ToolSet set, string name, string argumentsJson) =>
        await Assert.ThrowsAsync<ToolException>(async () => await set.InvokeAsync(name, argumentsJson));
}
