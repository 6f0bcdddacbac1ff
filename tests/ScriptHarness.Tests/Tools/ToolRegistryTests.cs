using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

public sealed class ToolRegistryTests
{
    private static ToolDefinition Tool(string name) =>
        new(name, "", new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult<JsonNode?>(null));

    [Fact]
    public void Suggest_Typo_FindsTheClosestNames()
    {
        var registry = new ToolRegistry([Tool("files.read"), Tool("files.write"), Tool("files.list"), Tool("web.fetch")]);
        Assert.Equal("files.read", registry.Suggest("files.raed")[0]);
        Assert.Contains("files.read", registry.Suggest("fs.read"));
        Assert.Empty(registry.Suggest("zzzzzz.qqqqqq"));
    }

    [Fact]
    public void Create_DuplicateName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ToolRegistry([Tool("a.b"), Tool("a.b")]));
    }

    [Theory]
    [InlineData("nonamespace")]
    [InlineData("a.b.c")]
    [InlineData("a.1b")]
    [InlineData("a-b.c")]
    public void Definition_BadName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => Tool(name));
    }

    [Fact]
    public void Names_AreSorted()
    {
        Assert.Equal(["a.x", "b.y", "c.z"], new ToolRegistry([Tool("c.z"), Tool("a.x"), Tool("b.y")]).Names);
    }
}
