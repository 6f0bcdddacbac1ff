using System.Text.Json.Nodes;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>The schemas feed the validator and the TypeScript declarations, so their shape is a contract.</summary>
public sealed class BuiltInSchemaTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private IEnumerable<ToolDefinition> AllTools() =>
        FilesToolSet.Create(_workspace.Root).Tools.Concat(TestToolSet.Create().Tools);

    [Fact]
    public void ArgumentsSchema_EveryClosedTool_IsAnObjectWithDescribedPropertiesAndKnownRequiredNames()
    {
        foreach (var tool in AllTools().Where(t => t.Name != "test.echo"))
        {
            var schema = tool.ArgumentsSchema;
            Assert.Equal("object", (string?)schema["type"]);
            Assert.False((bool?)schema["additionalProperties"], tool.Name);
            var properties = schema["properties"]!.AsObject();
            Assert.All(properties, p => Assert.False(string.IsNullOrWhiteSpace((string?)p.Value!["description"]), $"{tool.Name}.{p.Key}"));
            var required = (schema["required"] as JsonArray)?.Select(r => (string)r!) ?? [];
            Assert.All(required, r => Assert.True(properties.ContainsKey(r), $"{tool.Name} requires unknown '{r}'"));
        }
    }

    [Fact]
    public void Description_EveryTool_IsSet()
    {
        Assert.All(AllTools(), t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.Name));
    }

    [Fact]
    public void ResultSchema_EveryToolThatReturns_HasOne()
    {
        Assert.All(AllTools().Where(t => t.Name != "test.fail"), t => Assert.NotNull(t.ResultSchema));
    }

    [Fact]
    public void Required_FilesTools_MatchTheirContracts()
    {
        var set = FilesToolSet.Create(_workspace.Root);

        Assert.Null(set.Tool("files.list").ArgumentsSchema["required"]);
        Assert.Equal("""["path"]""", set.Tool("files.read").ArgumentsSchema["required"]!.ToJsonString());
        Assert.Equal("""["query"]""", set.Tool("files.search").ArgumentsSchema["required"]!.ToJsonString());
        Assert.Equal("""["path","content"]""", set.Tool("files.write").ArgumentsSchema["required"]!.ToJsonString());
    }

    [Fact]
    public void EverySchemaNode_ArgumentsAndResults_IsDescribed()
    {
        // The descriptions are what the model reads in the TypeScript declarations: none may be blank, down to the
        // properties of an array's items (an object schema, the arguments, a result or an item, is described by the tool or the array).
        foreach (var tool in AllTools())
        {
            AssertDescribed(tool.ArgumentsSchema, $"{tool.Name}(arguments)");
            if (tool.ResultSchema is { } result)
            {
                AssertDescribed(result, $"{tool.Name}(result)");
            }
        }
    }

    [Fact]
    public void FilesList_RecursiveDefaultsToFalse()
    {
        var recursive = FilesToolSet.Create(_workspace.Root).Tool("files.list").ArgumentsSchema["properties"]!["recursive"]!;
        Assert.False((bool)recursive["default"]!);
    }

    private static void AssertDescribed(JsonNode schema, string where)
    {
        if ((string?)schema["type"] != "object")
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]), where);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                AssertDescribed(property!, $"{where}.{name}");
            }
        }

        if (schema["items"] is JsonObject items)
        {
            AssertDescribed(items, $"{where}[]");
        }
    }
}
