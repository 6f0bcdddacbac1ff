using System.Text.Json.Nodes;
using FsCheck.Xunit;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Properties;

/// <summary>
/// Every JSON value survives the engine seam both ways on every engine: a tool's result built into a script value
/// (the result build), the script passing it to another tool (the argument walk), that tool's result built again and
/// returned (the return value path). What comes out is structurally the value that went in.
/// </summary>
[Properties(Arbitrary = new[] { typeof(GeneratedJson) }, MaxTest = 60)]
public sealed class JsonRoundTripProperties
{
    private static readonly IScriptEngineFactory[] Engines = [new JintEngineFactory(), new V8EngineFactory()];

    private const string Script = "const v = await tools.t.give({}); const back = await tools.t.echo({ v }); return back.v;";

    [Property]
    public void AnyJsonValue_RoundTripsThroughToolResultArgumentAndReturn_OnEveryEngine(GeneratedJson json)
    {
        var give = new ToolDefinition("t.give", "returns the generated value", new JsonObject { ["type"] = "object" },
            (_, _, _) => ValueTask.FromResult(json.Value?.DeepClone()));
        var registry = new ToolRegistry([give, TestTools.Echo()]);
        foreach (var engine in Engines)
        {
            var (outcome, _) = ScriptRunHelper.RunAsync(engine, Script, registry: registry).GetAwaiter().GetResult();
            Assert.True(outcome.Status == ScriptStatus.Ok, $"{engine.Name}: {outcome.Error?.Code} {outcome.Error?.Message}");
            Assert.True(GeneratedJson.SameJson(json.Value, outcome.Value, out var where), $"{engine.Name}: differs at {where}");
        }
    }

    [Theory]
    [InlineData("""{"__proto__":{"x":1},"constructor":2,"1":3,"01":4,"":5,"then":6}""")]
    [InlineData("""[-0,1e21,5e-324,1.7976931348623157e308,9007199254740991,0.1]""")]
    [InlineData("""["\u2028😀\u0000</tool-calls>",null,true,{"a":[[],{}]}]""")]
    public void TrickyJsonValue_RoundTrips_OnEveryEngine(string text)
    {
        AnyJsonValue_RoundTripsThroughToolResultArgumentAndReturn_OnEveryEngine(new GeneratedJson(JsonNode.Parse(text)));
    }

    [Property]
    public void AnyJsonValue_WrittenAsScriptLiteral_ComesBackUnchanged_OnEveryEngine(GeneratedJson json)
    {
        // The other direction's start: the value is born inside the script, walked into the echo's arguments.
        var literal = json.Value?.ToJsonString() ?? "null";
        var source = $"const v = JSON.parse({JsonValue.Create(literal)!.ToJsonString()}); return (await tools.t.echo({{ v }})).v;";
        foreach (var engine in Engines)
        {
            var (outcome, _) = ScriptRunHelper.RunAsync(engine, source, ScriptLimits.Default with { MaxScriptBytes = 1024 * 1024 })
                .GetAwaiter().GetResult();
            Assert.True(outcome.Status == ScriptStatus.Ok, $"{engine.Name}: {outcome.Error?.Code} {outcome.Error?.Message}");
            Assert.True(GeneratedJson.SameJson(json.Value, outcome.Value, out var where), $"{engine.Name}: differs at {where}");
        }
    }
}
