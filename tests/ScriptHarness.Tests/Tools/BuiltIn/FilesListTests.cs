using System.Text.Json.Nodes;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class FilesListTests : IDisposable
{
    private readonly TempWorkspace _workspace = new TempWorkspace()
        .Write("README.md", "# demo\n")
        .Write("src/app.js", "app")
        .Write("src/util.js", "util!")
        .Write("src/lib/deep.js", "d")
        .Write("src-old/legacy.js", "")
        .Write(".gitignore", "bin/\n")
        .CreateDirectory("empty");

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    private static List<string> Paths(JsonNode? result) => [.. result!.AsArray().Select(e => (string)e!["path"]!)];

    [Fact]
    public async Task List_NoArguments_ListsTheRootSortedWithoutRecursing()
    {
        var result = await CreateSut().InvokeAsync("files.list", arguments: null);

        Assert.Equal([".gitignore", "README.md", "empty", "src", "src-old"], Paths(result));
    }

    [Fact]
    public async Task List_Entries_HaveTypeAndSize()
    {
        var result = await CreateSut().InvokeAsync("files.list", """{ "dir": "src" }""");

        var entries = result!.AsArray().Select(e => ((string)e!["path"]!, (string)e["type"]!, (long)e["size"]!)).ToList();
        Assert.Equal([("src/app.js", "file", 3L), ("src/lib", "dir", 0L), ("src/util.js", "file", 5L)], entries);
    }

    [Fact]
    public async Task List_Recursive_PutsEachDirectoryRightBeforeItsContents()
    {
        var result = await CreateSut().InvokeAsync("files.list", """{ "recursive": true }""");

        Assert.Equal(
            [".gitignore", "README.md", "empty", "src", "src/app.js", "src/lib", "src/lib/deep.js", "src/util.js", "src-old", "src-old/legacy.js"],
            Paths(result));
    }

    [Fact]
    public async Task List_Limit_CapsTheEntriesInOrder()
    {
        var result = await CreateSut().InvokeAsync("files.list", """{ "recursive": true, "limit": 4 }""");

        Assert.Equal([".gitignore", "README.md", "empty", "src"], Paths(result));
    }

    [Fact]
    public async Task List_Subdirectory_ReturnsPathsRelativeToTheRoot()
    {
        var result = await CreateSut().InvokeAsync("files.list", """{ "dir": "./src/lib/", "recursive": true }""");

        Assert.Equal(["src/lib/deep.js"], Paths(result));
    }

    [Fact]
    public async Task List_EmptyDirectory_ReturnsEmptyArray()
    {
        var result = await CreateSut().InvokeAsync("files.list", """{ "dir": "empty" }""");

        Assert.Empty(result!.AsArray());
    }

    [Fact]
    public async Task List_MissingDirectory_FailsWithExecutionError()
    {
        var error = await CreateSut().FailsAsync("files.list", """{ "dir": "nope" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("directory 'nope' not found", error.Message);
    }

    [Fact]
    public async Task List_File_FailsWithExecutionError()
    {
        var error = await CreateSut().FailsAsync("files.list", """{ "dir": "README.md" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("'README.md' is a file, not a directory", error.Message);
    }

    [Theory]
    [InlineData("""{ "limit": 0 }""", "argument 'limit' must be an integer between 1 and 1000")]
    [InlineData("""{ "limit": 1001 }""", "argument 'limit' must be an integer between 1 and 1000")]
    [InlineData("""{ "recursive": "yes" }""", "argument 'recursive' must be a boolean")]
    [InlineData("""{ "dir": false }""", "argument 'dir' must be a string")]
    [InlineData("""{ "path": "src" }""", "unknown argument 'path'; expected: dir, recursive, limit")]
    public async Task List_BadArguments_FailValidationNamingTheField(string arguments, string message)
    {
        var error = await CreateSut().FailsAsync("files.list", arguments);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal(message, error.Message);
    }
}
