using System.Text.Json.Nodes;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>
/// Schemas a hostile (or careless) MCP server can list: references that branch made a check take 2^depth steps on the
/// calling thread (2^40: hours, long after the script's time limit), and one whose reference led back to itself through
/// <c>not</c> overflowed the stack and ended the host.
/// </summary>
public sealed class SchemaBudgetTests
{
    // d0 … d{depth-1}: each a keyword of two references to the next; the last a number, so a string fails on every path.
    private static JsonObject Branching(string keyword, int depth)
    {
        var definitions = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            definitions[$"d{i}"] = new JsonObject
            {
                [keyword] = new JsonArray(new JsonObject { ["$ref"] = $"#/definitions/d{i + 1}" }, new JsonObject { ["$ref"] = $"#/definitions/d{i + 1}" }),
            };
        }

        definitions[$"d{depth}"] = new JsonObject { ["type"] = "number" };
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["x"] = new JsonObject { ["$ref"] = "#/definitions/d0" } },
            ["definitions"] = definitions,
        };
    }

    private static async Task<(string Message, TimeSpan Took)> RejectedAsync(JsonObject schema, JsonNode arguments)
    {
        var prepared = ArgumentSchema.For(schema);
        var started = TimeProvider.System.GetTimestamp();
        var error = await Assert.ThrowsAsync<ToolException>(async () => await prepared.ValidateAsync("evil.run", arguments, CancellationToken.None));
        Assert.Equal(ScriptErrorCode.ToolValidationFailed, error.Error.Code);
        return (error.Error.Message, TimeProvider.System.GetElapsedTime(started));
    }

    [Fact]
    public async Task CompiledSchema_WhoseReferencesBranch_IsRefusedAtTheStepBudget()
    {
        var schema = Branching("anyOf", 40);
        Assert.IsType<CompiledArgumentSchema>(ArgumentSchema.For(schema));

        var (message, took) = await RejectedAsync(schema, new JsonObject { ["x"] = "s" });

        Assert.Equal("invalid arguments for evil.run: they could not be checked against the tool's schema within 100,128 steps (its references branch or loop)", message);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(20)); // 2^40 steps otherwise
    }

    [Fact]
    public async Task NJsonSchema_WhoseReferencesBranch_IsRefusedAtItsTimeBudget()
    {
        var schema = Branching("oneOf", 40);
        Assert.IsType<NJsonSchemaArgumentSchema>(ArgumentSchema.For(schema));

        var (message, took) = await RejectedAsync(schema, new JsonObject { ["x"] = "s" });

        Assert.Equal("invalid arguments for evil.run: they could not be checked against the tool's schema within 1 s (its references branch or loop)", message);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AReferenceBackToItself_IsRefused_NotAStackOverflow()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"x":{"$ref":"#/definitions/a"}},"definitions":{"a":{"not":{"$ref":"#/definitions/a"}}}}
            """)!.AsObject();

        var (message, _) = await RejectedAsync(schema, new JsonObject { ["x"] = "s" });

        Assert.StartsWith("invalid arguments for evil.run: they could not be checked against the tool's schema within ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeArguments_GetMoreSteps_AndAreCheckedInFull()
    {
        // 200,000 items under anyOf: past the base budget, within what their size allows.
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"items":{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"number"}]}}}}
            """)!.AsObject();
        var items = new JsonArray();
        for (var i = 0; i < 200_000; i++)
        {
            items.Add(i);
        }

        var arguments = new JsonObject { ["items"] = items };
        await ArgumentSchema.For(schema).ValidateAsync("evil.run", arguments, CancellationToken.None);

        items.Add(true);
        var (message, _) = await RejectedAsync(schema, arguments);
        Assert.StartsWith("invalid arguments for evil.run: items[200000]", message, StringComparison.Ordinal); // the wrong item itself, not the budget
    }
}
