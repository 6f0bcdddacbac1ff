using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// The built-in <c>test</c> toolset for conformance tests, samples and demos: <c>test.echo</c>, <c>test.sleep</c>,
/// <c>test.fail</c> and <c>test.counter</c>. Harmless: it touches nothing outside itself, and never blocks a thread
/// (every tool is <see cref="ToolDefinition.NonBlocking"/>, so calls run inline).
/// </summary>
public static class TestToolSet
{
    /// <summary>The toolset's name.</summary>
    public const string Name = "test";

    /// <summary>Longest <c>test.sleep</c>, in milliseconds.</summary>
    public const int MaxSleepMilliseconds = 60_000;

    /// <summary>
    /// Creates the toolset. <paramref name="timeProvider"/> drives <c>test.sleep</c> (default
    /// <see cref="TimeProvider.System"/>). Each instance keeps its own <c>test.counter</c> counts.
    /// </summary>
    public static ToolSet Create(TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var counter = new ScriptCallCounter();
        return new ToolSet(Name,
        [
            new ToolDefinition("test.echo", "Return the arguments object unchanged.", new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Any object; it comes back as is.",
                    ["additionalProperties"] = true,
                },
                (arguments, _, _) => ValueTask.FromResult(Echo(arguments)))
            {
                ResultSchema = new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
                NonBlocking = true,
            },
            new ToolDefinition("test.sleep", $"Wait `ms` milliseconds (0 to {MaxSleepMilliseconds}), then return.", Schema.Object(
                    new JsonObject { ["ms"] = Schema.Integer("How long to wait, in milliseconds.", 0, MaxSleepMilliseconds) },
                    "ms"),
                (arguments, _, cancellationToken) => SleepAsync(arguments, time, cancellationToken))
            {
                ResultSchema = Schema.Object(
                    new JsonObject { ["slept"] = Schema.Integer("The milliseconds waited.", 0, MaxSleepMilliseconds) },
                    "slept"),
                NonBlocking = true,
            },
            new ToolDefinition("test.fail", "Fail with tool_execution_failed and the given message.", Schema.Object(
                    new JsonObject { ["message"] = Schema.String("The error message.", 1000) },
                    "message"),
                (arguments, _, _) => throw ToolException.Execution(ToolArguments.Parse(arguments, "message").RequiredString("message", 1000)))
            {
                NonBlocking = true,
            },
            new ToolDefinition("test.counter", "Count this script's calls to test.counter: 1 on the first call, 2 on the next, and so on.", Schema.Object([]),
                (arguments, context, _) =>
                {
                    ToolArguments.Parse(arguments);
                    return ValueTask.FromResult<JsonNode?>(new JsonObject { ["count"] = counter.Increment(context.Script) });
                })
            {
                ResultSchema = Schema.Object(
                    new JsonObject { ["count"] = Schema.Integer("Calls by this script so far, this one included.", minimum: 1) },
                    "count"),
                NonBlocking = true,
            },
        ]);
    }

    private static JsonNode? Echo(JsonNode? arguments) => arguments switch
    {
        null => new JsonObject(),
        JsonObject obj => obj.DeepClone(), // a copy: the caller's node may already have a parent
        _ => throw ToolException.Validation("arguments must be an object"),
    };

    private static async ValueTask<JsonNode?> SleepAsync(JsonNode? arguments, TimeProvider time, CancellationToken cancellationToken)
    {
        var ms = ToolArguments.Parse(arguments, "ms").RequiredInteger("ms", 0, MaxSleepMilliseconds);
        await Task.Delay(TimeSpan.FromMilliseconds(ms), time, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["slept"] = ms };
    }
}
