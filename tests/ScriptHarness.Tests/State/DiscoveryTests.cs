using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.State;

public sealed class DiscoveryTests
{
    // 300 tools in 10 namespaces, as samples/catalogue has them.
    private static readonly string[] Namespaces = ["billing", "crm", "files", "hr", "inventory", "mail", "calendar", "support", "analytics", "shipping"];
    private static readonly string[] Verbs = ["create", "get", "list", "update", "delete", "search", "archive", "export", "import", "count"];
    private static readonly string[] Things = ["Invoice", "Customer", "Order"];

    private static ToolRegistry Catalogue() => new(
        from ns in Namespaces
        from verb in Verbs
        from thing in Things
        select new ToolDefinition($"{ns}.{verb}{thing}", $"{char.ToUpperInvariant(verb[0])}{verb[1..]} a {thing.ToLowerInvariant()} in {ns}.",
            new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string" } } },
            (args, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["ok"] = true })));

    [Fact]
    public async Task Search_InAThreeHundredToolCatalogue_FindsTheToolAndCallsIt()
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory(), Catalogue());
        var reply = "<tool-calls>\nconst [best] = await tools.$search('create invoice billing', 3);\nconst d = await tools.$describe(best.name);\n"
            + "const r = await tools.billing.createInvoice({ id: 'x' });\nreturn [best.name, best.description, d.includes('createInvoice(args'), r.ok];\n</tool-calls>";

        ScriptResultItem? result = null;
        await foreach (var item in harness.RunAsync(reply))
        {
            result = item as ScriptResultItem ?? result;
        }

        Assert.Equal("""["billing.createInvoice","Create a invoice in billing.",true,true]""", result!.Outcome.Value!.ToJsonString());
    }

    [Theory]
    [InlineData("const [best] = await \\u0074ools['$sea' + 'rch']('create invoice billing', 1);")] // tools and $search never written
    [InlineData("const [best] = await $search('create invoice billing', 1);")] // the wrapper's own helper, by its name
    public async Task Search_ReachedWithoutWritingTools_StillWorks(string line)
    {
        // The wrapper writes a helper only when the source names it; an escaped name or the bare helper still count.
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory(), Catalogue());
        var reply = $"<tool-calls>\n{line}\nreturn best.name;\n</tool-calls>";

        ScriptResultItem? result = null;
        await foreach (var item in harness.RunAsync(reply))
        {
            result = item as ScriptResultItem ?? result;
        }

        Assert.Equal("\"billing.createInvoice\"", result!.Outcome.Value!.ToJsonString());
    }

    [Fact]
    public void Deferred_Declarations_CarryNamespacesAndTheDiscoveryApiOnly()
    {
        var registry = Catalogue();
        var full = TypeScriptDeclarations.Generate(registry);
        var deferred = TypeScriptDeclarations.GenerateDeferred(registry);

        Assert.Contains("createInvoice", full, StringComparison.Ordinal);
        Assert.DoesNotContain("createInvoice", deferred, StringComparison.Ordinal);
        Assert.Contains("billing: { readonly [name: string]", deferred, StringComparison.Ordinal);
        Assert.Contains("$search(query: string", deferred, StringComparison.Ordinal);
        Assert.Contains("$describe(name: string)", deferred, StringComparison.Ordinal);
        Assert.Contains("declare function store(", deferred, StringComparison.Ordinal);
        Assert.True(deferred.Length * 10 < full.Length, $"deferred {deferred.Length} chars, full {full.Length}");
    }

    [Fact]
    public void Describe_IsTheToolsOwnDeclaration()
    {
        Assert.True(Catalogue().TryGet("crm.listOrder", out var tool));
        var text = TypeScriptDeclarations.Describe(tool);

        Assert.StartsWith("declare const tools: {\n  crm: {\n", text, StringComparison.Ordinal);
        Assert.Contains("listOrder(args", text, StringComparison.Ordinal);
        Assert.Contains("List a order in crm.", text, StringComparison.Ordinal);
    }
}
