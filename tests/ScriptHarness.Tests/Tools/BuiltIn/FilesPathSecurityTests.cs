using System.Text.Json.Nodes;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class FilesPathSecurityTests : IDisposable
{
    private readonly TempWorkspace _workspace = new TempWorkspace()
        .Write("README.md", "inside")
        .Write("src/app.js", "app");

    public static TheoryData<string> Tools => ["files.list", "files.read", "files.search", "files.write"];

    public static TheoryData<string, string> EscapingPaths
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var tool in new[] { "files.list", "files.read", "files.search", "files.write" })
            {
                foreach (var path in new[] { "..", "../secret.txt", "src/../../secret.txt", "..\\secret.txt", "src/./../.." })
                {
                    data.Add(tool, path);
                }
            }

            return data;
        }
    }

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    // Each tool takes its path under a different argument name.
    private static JsonObject ArgumentsWithPath(string tool, string path) => tool switch
    {
        "files.list" => new JsonObject { ["dir"] = path },
        "files.read" => new JsonObject { ["path"] = path },
        "files.search" => new JsonObject { ["query"] = "secret", ["dir"] = path },
        "files.write" => new JsonObject { ["path"] = path, ["content"] = "pwned" },
        _ => throw new ArgumentOutOfRangeException(nameof(tool)),
    };

    private async Task<ToolException> RejectedAsync(string tool, string path) =>
        await Assert.ThrowsAsync<ToolException>(async () => await CreateSut().InvokeAsync(tool, ArgumentsWithPath(tool, path)));

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public async Task Path_DotDotEscapingRoot_IsRejected(string tool, string path)
    {
        var error = await RejectedAsync(tool, path);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal($"path '{path}' is outside the workspace", error.Message);
        _workspace.AssertNoHostPath(error.Message);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Path_Absolute_IsRejected(string tool)
    {
        var absolute = Path.Join(_workspace.Outside, "secret.txt");

        var error = await RejectedAsync(tool, absolute);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.EndsWith("is absolute; use a path relative to the workspace root", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_workspace.Root, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    [InlineData("//server/share/x")]
    public async Task Read_RootedPath_IsRejected(string path)
    {
        var error = await RejectedAsync("files.read", path);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal($"path '{path}' is absolute; use a path relative to the workspace root", error.Message);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Path_WithNulCharacter_IsRejected(string tool)
    {
        var error = await RejectedAsync(tool, "README.md\0.txt");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("path must not contain NUL characters", error.Message);
    }

    [Fact]
    public async Task Path_TooLong_IsRejected()
    {
        var error = await RejectedAsync("files.read", new string('a', 1025));

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("argument 'path' must be at most 1024 characters", error.Message);
    }

    [Fact]
    public async Task Read_DotDotStayingInsideRoot_IsAllowed()
    {
        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "src/../README.md" }""");

        Assert.Equal("README.md", (string?)result!["path"]);
        Assert.Equal("inside", (string?)result["content"]);
    }

    [Fact]
    public async Task Read_DirectorySymlinkPointingOutside_IsRejected()
    {
        Directory.CreateSymbolicLink(_workspace.Path("escape"), _workspace.Outside);

        var error = await RejectedAsync("files.read", "escape/secret.txt");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("path 'escape/secret.txt' is outside the workspace", error.Message);
        _workspace.AssertNoHostPath(error.Message);
    }

    [Fact]
    public async Task Read_FileSymlinkPointingOutside_IsRejected()
    {
        File.CreateSymbolicLink(_workspace.Path("secret-link.txt"), Path.Join(_workspace.Outside, "secret.txt"));

        var error = await RejectedAsync("files.read", "secret-link.txt");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("path 'secret-link.txt' is outside the workspace", error.Message);
    }

    [Fact]
    public async Task Read_RelativeSymlinkClimbingOut_IsRejected()
    {
        Directory.CreateDirectory(_workspace.Path("nested"));
        File.CreateSymbolicLink(_workspace.Path("nested/up"), Path.Join("..", "..", Path.GetFileName(_workspace.Outside), "secret.txt"));

        var error = await RejectedAsync("files.read", "nested/up");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("path 'nested/up' is outside the workspace", error.Message);
    }

    [Fact]
    public async Task Read_ChainedSymlinksEndingOutside_IsRejected()
    {
        Directory.CreateSymbolicLink(_workspace.Path("hop2"), _workspace.Outside);
        Directory.CreateSymbolicLink(_workspace.Path("hop1"), "hop2"); // stays inside for one hop

        var error = await RejectedAsync("files.read", "hop1/secret.txt");

        Assert.Equal("tool_validation_failed", error.Code);
    }

    [Fact]
    public async Task Read_SymlinkCycle_IsRejected()
    {
        Directory.CreateSymbolicLink(_workspace.Path("loop-a"), _workspace.Path("loop-b"));
        Directory.CreateSymbolicLink(_workspace.Path("loop-b"), _workspace.Path("loop-a"));

        var error = await RejectedAsync("files.read", "loop-a/x.txt");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("path 'loop-a/x.txt' is outside the workspace", error.Message);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Path_ThroughSymlinkPointingOutside_IsRejectedForEveryTool(string tool)
    {
        Directory.CreateSymbolicLink(_workspace.Path("escape"), _workspace.Outside);

        var error = await RejectedAsync(tool, tool is "files.list" or "files.search" ? "escape" : "escape/secret.txt");

        Assert.Equal("tool_validation_failed", error.Code);
        _workspace.AssertNoHostPath(error.Message);
        Assert.Equal("top secret", await File.ReadAllTextAsync(Path.Join(_workspace.Outside, "secret.txt")));
    }

    [Fact]
    public async Task Write_ThroughSymlinkPointingOutside_CreatesNothingOutside()
    {
        Directory.CreateSymbolicLink(_workspace.Path("escape"), _workspace.Outside);

        await RejectedAsync("files.write", "escape/new/planted.txt");

        Assert.False(Directory.Exists(Path.Join(_workspace.Outside, "new")));
    }

    [Fact]
    public async Task Read_SymlinkPointingInside_IsFollowed()
    {
        Directory.CreateSymbolicLink(_workspace.Path("current"), _workspace.Path("src"));

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "current/app.js" }""");

        Assert.Equal("current/app.js", (string?)result!["path"]);
        Assert.Equal("app", (string?)result["content"]);
    }

    [Fact]
    public async Task List_Recursive_OmitsLinksPointingOutsideAndDoesNotDescendIntoLinks()
    {
        Directory.CreateSymbolicLink(_workspace.Path("escape"), _workspace.Outside);
        File.CreateSymbolicLink(_workspace.Path("secret-link.txt"), Path.Join(_workspace.Outside, "secret.txt"));
        Directory.CreateSymbolicLink(_workspace.Path("current"), _workspace.Path("src"));
        Directory.CreateSymbolicLink(_workspace.Path("self"), _workspace.Root); // a cycle if followed
        File.CreateSymbolicLink(_workspace.Path("dangling"), _workspace.Path("nothing-here"));

        var result = await CreateSut().InvokeAsync("files.list", """{ "recursive": true }""");

        var entries = result!.AsArray().Select(e => ((string)e!["path"]!, (string)e["type"]!)).ToList();
        Assert.Equal(
            [("README.md", "file"), ("current", "dir"), ("self", "dir"), ("src", "dir"), ("src/app.js", "file")],
            entries);
    }

    [Fact]
    public async Task Search_SkipsFilesBehindLinksPointingOutside()
    {
        Directory.CreateSymbolicLink(_workspace.Path("escape"), _workspace.Outside);
        File.CreateSymbolicLink(_workspace.Path("secret-link.txt"), Path.Join(_workspace.Outside, "secret.txt"));

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "secret" }""");

        Assert.Empty(result!.AsArray());
    }

    [Fact]
    public async Task Create_RootReachedThroughSymlink_StillWorks()
    {
        var alias = _workspace.Root + "-alias";
        Directory.CreateSymbolicLink(alias, _workspace.Root);
        try
        {
            var result = await FilesToolSet.Create(alias).InvokeAsync("files.read", """{ "path": "README.md" }""");

            Assert.Equal("inside", (string?)result!["content"]);
        }
        finally
        {
            Directory.Delete(alias);
        }
    }
}
