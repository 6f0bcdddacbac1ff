using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>The one rule for results JSON cannot carry, decided by the facade for every engine.</summary>
public sealed class ToolResultCheckTests
{
    private static Task<JsonNode?> Returning(Func<JsonNode?> result)
    {
        var tool = new ToolDefinition("x.result", "", new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult(result()))
        {
            NonBlocking = true,
        };
        var bridge = new ScriptToolBridge(new ToolRegistry([tool]), ScriptRunHelper.Prepare("").Context, ScriptRunHelper.Services());
        return bridge.InvokeAsync("x.result", new JsonObject(), CancellationToken.None).ValueOrThrow();
    }

    public static TheoryData<string, string> NonFinite => new()
    {
        { "nan", "x.result returned NaN at $, which JSON cannot carry" },
        { "object", "x.result returned Infinity at $.value, which JSON cannot carry" },
        { "array", "x.result returned -Infinity at $.list[1], which JSON cannot carry" },
        { "float", "x.result returned NaN at $.a.b[0], which JSON cannot carry" },
        { "half", "x.result returned Infinity at $.h, which JSON cannot carry" },
        { "clr", "x.result returned a value at $.record, which JSON cannot carry" },
    };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public async Task Invoke_ResultHoldingANumberJsonCannotCarry_FailsWithToolExecutionFailedNamingWhere(string kind, string message)
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Returning(() => kind switch
        {
            "nan" => JsonValue.Create(double.NaN),
            "object" => new JsonObject { ["ok"] = 1, ["value"] = double.PositiveInfinity },
            "array" => new JsonObject { ["list"] = new JsonArray(1, double.NegativeInfinity) },
            "float" => new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray(JsonValue.Create(float.NaN)) } },
            "half" => new JsonObject { ["h"] = JsonValue.Create(Half.PositiveInfinity) },
            _ => new JsonObject { ["record"] = JsonValue.Create(new Measured(double.NaN)) },
        }));
        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, ex.Error.Code);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Invoke_ResultsJsonCanCarry_PassAsTheyAre()
    {
        var parsed = JsonNode.Parse("""{"n":1e308,"tiny":5e-324,"neg":-0.5,"s":"NaN","list":[1,2,{"deep":[0.1]}]}""");
        Assert.Same(parsed, await Returning(() => parsed));

        var built = new JsonObject
        {
            ["d"] = double.MaxValue, ["f"] = 1.5f, ["m"] = 1.1m, ["l"] = long.MinValue, ["b"] = true, ["s"] = "Infinity",
            ["g"] = Guid.Empty, ["record"] = JsonValue.Create(new Measured(2.5)), ["null"] = null,
        };
        Assert.Same(built, await Returning(() => built));
        Assert.Null(await Returning(() => null));
    }

    [Fact]
    public async Task Invoke_ResultNestedPastTheWritingLimit_IsLeftToTheEnginesWithoutOverflowingTheStack()
    {
        JsonNode node = new JsonObject { ["leaf"] = double.NaN };
        for (var i = 0; i < 10_000; i++)
        {
            node = new JsonObject { ["d"] = node };
        }

        // Past 64 levels no engine can write it (tool_execution_failed there); the check itself must stay bounded.
        Assert.Same(node, await Returning(() => node));
    }

    [Theory]
    [InlineData("object", 64, true)]
    [InlineData("object", 65, false)]
    [InlineData("array", 64, true)]
    [InlineData("array", 65, false)]
    public async Task Invoke_NaNAtTheWritingLimitsEdge_IsFoundInside64Containers_LeftToTheEnginesInside65(string kind, int containers, bool found)
    {
        // 64 is System.Text.Json's writing depth: a value inside 64 containers is still written, so it is checked.
        JsonNode node = JsonValue.Create(double.NaN);
        for (var i = 0; i < containers; i++)
        {
            node = kind == "object" ? new JsonObject { ["d"] = node } : new JsonArray(node);
        }

        if (found)
        {
            var ex = await Assert.ThrowsAsync<ToolException>(() => Returning(() => node));
            var step = kind == "object" ? ".d" : "[0]";
            Assert.Equal($"x.result returned NaN at ${string.Concat(Enumerable.Repeat(step, containers))}, which JSON cannot carry", ex.Message);
        }
        else
        {
            Assert.Same(node, await Returning(() => node));
        }
    }

    [Fact]
    public void ParsedContainers_AreRecognisedOnThisRuntime_SoTheCheckNeverReadsThemIntoNodes()
    {
        // A runtime that renamed JsonObject's and JsonArray's parsed element would still be checked correctly, but every
        // echoed argument would be read into nodes: this fails first, so the fast path is restored on purpose.
        Assert.True(ToolResultCheck.CanSeeParsedContainers);
    }

    private sealed record Measured(double Value);
}
