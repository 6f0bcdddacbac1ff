// A host with 300 tools: the prompt gets TypeScriptDeclarations.GenerateDeferred (namespaces and the discovery API),
// and the model's script finds the tool it needs with tools.$search, reads it with tools.$describe, then calls it.
using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

string[] namespaces = ["billing", "crm", "files", "hr", "inventory", "mail", "calendar", "support", "analytics", "shipping"];
string[] verbs = ["create", "get", "list", "update", "delete", "search", "archive", "export", "import", "count"];
string[] things = ["Invoice", "Customer", "Order"];

var tools = new ToolRegistry(
    from ns in namespaces
    from verb in verbs
    from thing in things
    select new ToolDefinition(
        $"{ns}.{verb}{thing}",
        $"{char.ToUpperInvariant(verb[0])}{verb[1..]} {(verb is "list" or "count" or "export" or "import" ? thing.ToLowerInvariant() + "s" : "a " + thing.ToLowerInvariant())} in {ns}.",
        new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string", ["description"] = $"The {thing.ToLowerInvariant()}'s id." } },
        },
        (args, call, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["tool"] = call.Tool, ["args"] = args?.DeepClone() })));

var full = TypeScriptDeclarations.Generate(tools);
var deferred = TypeScriptDeclarations.GenerateDeferred(tools);
Console.WriteLine($"{tools.Names.Count} tools: full declarations {full.Length:N0} chars, deferred {deferred.Length:N0} chars.");
Console.WriteLine();

using var harness = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory(), tools);
var reply = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "reply.md"));
await foreach (var item in harness.RunAsync(reply))
{
    Console.WriteLine(ResponseItemJson.ToJsonLine(item));
}
