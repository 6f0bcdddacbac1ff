using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>Jint's <c>tools</c> object is laid out once per list of tool names, and still follows a list that changes.</summary>
public sealed class JintToolNamespaceTests
{
    private static readonly JintEngineFactory Engine = new();

    [Fact]
    public async Task ToolsObject_FollowsABridgeWhoseListChangesInPlace()
    {
        var names = new List<string> { "a.one", "b.two", "a.three" };
        Assert.Equal("""[["a","b"],["one","three"]]""", await LayoutAsync(names));
        Assert.Equal("""[["a","b"],["one","three"]]""", await LayoutAsync(names));

        names.Add("c.four");
        names[0] = "a.five";
        Assert.Equal("""[["a","b","c"],["five","three"]]""", await LayoutAsync(names));
    }

    private static async Task<string> LayoutAsync(IReadOnlyCollection<string> names)
    {
        await using var sandbox = await Engine.CreateAsync();
        var result = await sandbox.RunAsync(ScriptRunHelper.Prepare("return [Object.keys(tools), Object.keys(tools.a)];"), new NamesBridge(names), CancellationToken.None);
        Assert.Null(result.Error);
        return result.Value!.ToJsonString();
    }

    // A bridge that only lists tools: the scripts here read the tools object and call nothing.
    private sealed class NamesBridge(IReadOnlyCollection<string> names) : IToolBridge
    {
        public IReadOnlyCollection<string> ToolNames => names;

        public TimeSpan PausedTime => TimeSpan.Zero;

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no tool is called in these tests");

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
