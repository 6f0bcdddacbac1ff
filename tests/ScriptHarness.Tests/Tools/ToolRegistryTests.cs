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

    private static readonly ToolRegistry Many = new(
        [Tool("x.read"), Tool("a.bd"), Tool("files.read"), Tool("a.bf"), Tool("a.bc"), Tool("web.READ"), Tool("files.list"), Tool("a.be"), Tool("a.bread")]);

    [Theory]
    [InlineData("a.bz", "a.bc,a.bd,a.be")] // four at distance 1: the three first by name
    [InlineData("a.x", "a.bc,a.bd,a.be")] // distance 2 is near even for a name this short
    [InlineData("zzz.read", "web.READ,x.read,files.read")] // the same short name, whatever the distance, nearest first (not a.bread)
    [InlineData("files.lxxx", "files.list")] // distance 3 of a 10-character name is near, 4 is not
    [InlineData("FILES.LIST", "files.list")]
    [InlineData("q", "")]
    public void Suggest_NearNamesAndSameShortNames_NearestFirst_AtMostThree(string typed, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), Many.Suggest(typed));
    }

    [Fact]
    public void Suggest_Null_IsRefused_AndAnEmptyRegistrySuggestsNothing()
    {
        Assert.Throws<ArgumentNullException>(() => Many.Suggest(null!));
        Assert.Empty(ToolRegistry.Empty.Suggest("files.read"));
    }

    [Fact]
    public void TryGet_FindsByExactName_AndToolsFollowTheSortedNames()
    {
        Assert.True(Many.TryGet("web.READ", out var tool));
        Assert.Equal("web.READ", tool.Name);
        Assert.False(Many.TryGet("web.read", out _));
        Assert.Equal(Many.Names, Many.Tools.Select(t => t.Name));
        Assert.Equal(["a.bc", "a.bd", "a.be", "a.bf", "a.bread", "files.list", "files.read", "web.READ", "x.read"], Many.Names);
    }

    [Fact]
    public void Definition_SplitsItsNameAtTheDot_AndTakesANullDescriptionAsEmpty()
    {
        var tool = new ToolDefinition("files_v2.read_all", null!, new JsonObject(), (_, _, _) => ValueTask.FromResult<JsonNode?>(null));

        Assert.Equal(("files_v2", "read_all", string.Empty), (tool.Namespace, tool.ShortName, tool.Description));
        Assert.False(tool.NonBlocking);
        Assert.False(tool.RequiresApproval);
        Assert.Null(tool.Timeout);
    }

    [Fact]
    public void Definition_NullNameSchemaOrHandler_IsRefused()
    {
        ToolHandler handler = (_, _, _) => ValueTask.FromResult<JsonNode?>(null);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new ToolDefinition(null!, "", new JsonObject(), handler)).ParamName);
        Assert.Equal("argumentsSchema", Assert.Throws<ArgumentNullException>(() => new ToolDefinition("a.b", "", null!, handler)).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new ToolDefinition("a.b", "", new JsonObject(), null!)).ParamName);
    }

    [Fact]
    public void Create_DuplicateName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ToolRegistry([Tool("a.b"), Tool("a.b")]));
        Assert.Equal(("Tool 'a.b' is registered twice. (Parameter 'tools')", "tools"), (error.Message, error.ParamName));
        Assert.Equal("tools", Assert.Throws<ArgumentNullException>(() => new ToolRegistry(null!)).ParamName);
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
        var error = Assert.Throws<ArgumentException>(() => Tool(name));
        Assert.Equal("name", error.ParamName);
        Assert.StartsWith($"Tool name '{name}' must be 'namespace.name' with JavaScript identifier parts (letters, digits, _).", error.Message);
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
