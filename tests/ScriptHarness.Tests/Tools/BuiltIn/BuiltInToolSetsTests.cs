using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class BuiltInToolSetsTests
{
    [Fact]
    public void Names_AreFilesAndTest()
    {
        Assert.Equal(["files", "test"], BuiltInToolSets.Names);
    }

    [Fact]
    public void Resolve_Files_CreatesTheFilesToolSetOverTheRoot()
    {
        using var workspace = new TempWorkspace();

        var set = BuiltInToolSets.Resolve("files", new BuiltInToolSetOptions { WorkspaceRoot = workspace.Root });

        Assert.Equal("files", set.Name);
        Assert.Equal(["files.list", "files.read", "files.search", "files.write"], set.Tools.Select(t => t.Name));
    }

    [Fact]
    public void Resolve_FilesWithoutWorkspaceRoot_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInToolSets.Resolve("files", new BuiltInToolSetOptions()));

        Assert.Contains("WorkspaceRoot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FilesWithMissingRoot_Throws()
    {
        var missing = Path.Join(Path.GetTempPath(), "sh-missing-" + Guid.NewGuid().ToString("N"));

        Assert.Throws<ArgumentException>(() => BuiltInToolSets.Resolve("files", new BuiltInToolSetOptions { WorkspaceRoot = missing }));
    }

    [Fact]
    public async Task Resolve_Test_UsesTheOptionsTimeProvider()
    {
        var time = new FakeTimeProvider();
        var set = BuiltInToolSets.Resolve("test", new BuiltInToolSetOptions { TimeProvider = time });

        var sleep = set.InvokeAsync("test.sleep", JsonNode.Parse("""{ "ms": 50 }""")).AsTask();
        Assert.False(sleep.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(50, (int?)(await sleep)!["slept"]);
    }

    [Theory]
    [InlineData("git")]
    [InlineData("Files")]
    [InlineData("")]
    public void Resolve_UnknownName_ThrowsListingTheKnownNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInToolSets.Resolve(name, new BuiltInToolSetOptions()));

        Assert.Contains($"Unknown built-in toolset '{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("files, test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NullNameOrOptions_ThrowsArgumentNull()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => BuiltInToolSets.Resolve(null!, new BuiltInToolSetOptions())).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => BuiltInToolSets.Resolve("test", null!)).ParamName);
    }
}
