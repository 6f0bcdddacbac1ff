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
    [InlineData(".b")]
    [InlineData("a.")]
    [InlineData("1a.b")]
    [InlineData("a.b\n")]
    [InlineData("\na.b")]
    [InlineData("a.b ")]
    [InlineData("a.é")]
    [InlineData("a.b$")]
    [InlineData("")]
    public void Definition_BadName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => Tool(name));
    }

    [Fact]
    public void Definition_NameParts_AreUpToSixtyFourCharacters()
    {
        var longest = new string('a', 64);
        Assert.Equal($"{longest}._9", Tool($"{longest}._9").Name);
        Assert.Equal($"_Z0.{longest}", Tool($"_Z0.{longest}").Name);
        Assert.Throws<ArgumentException>(() => Tool($"{longest}a.b"));
        Assert.Throws<ArgumentException>(() => Tool($"a.{longest}b"));
    }

    [Fact]
    public void Names_AreSorted()
    {
        Assert.Equal(["a.x", "b.y", "c.z"], new ToolRegistry([Tool("c.z"), Tool("a.x"), Tool("b.y")]).Names);
    }
}
