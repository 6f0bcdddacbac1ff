using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>Small hand-written tools for engine and pipeline tests.</summary>
internal static class TestTools
{
    private static readonly JsonObject AnyObject = new() { ["type"] = "object" };

    public static ToolDefinition Echo() =>
        new("t.echo", "returns its arguments", (JsonObject)AnyObject.DeepClone(), (args, _, _) => ValueTask.FromResult(args?.DeepClone()));

    public static ToolDefinition Delay() =>
        new("t.delay", "waits ms then returns them", new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["ms"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
            ["required"] = new JsonArray("ms"),
            ["additionalProperties"] = false,
        }, async (args, _, ct) =>
        {
            var ms = args!["ms"]!.GetValue<int>();
            await Task.Delay(ms, ct);
            return new JsonObject { ["ms"] = ms };
        });

    public static ToolDefinition Fail() =>
        new("t.fail", "always fails", (JsonObject)AnyObject.DeepClone(), (_, _, _) => throw ToolException.Execution("it failed on purpose"));

    public static ToolDefinition Crash() =>
        new("t.crash", "throws a CLR exception", (JsonObject)AnyObject.DeepClone(),
            (_, _, _) => throw new InvalidOperationException("secret host detail at /srv/host/path"));

    public static ToolDefinition Approve() =>
        new("t.guarded", "needs approval", (JsonObject)AnyObject.DeepClone(), (args, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["done"] = true }))
        { RequiresApproval = true };

    public static ToolRegistry Registry() => new([Echo(), Delay(), Fail(), Crash(), Approve()]);
}
