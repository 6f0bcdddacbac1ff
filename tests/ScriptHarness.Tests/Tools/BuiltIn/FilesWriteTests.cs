using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class FilesWriteTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    [Fact]
    public void Write_RequiresApproval_AndTheReadToolsDoNot()
    {
        var set = CreateSut();

        Assert.True(set.Tool("files.write").RequiresApproval);
        Assert.All(set.Tools.Where(t => t.Name != "files.write"), t => Assert.False(t.RequiresApproval));
    }

    [Fact]
    public async Task Write_NewFileInNewDirectories_CreatesParentsAndReturnsUtf8ByteCount()
    {
        var result = await CreateSut().InvokeAsync("files.write", """{ "path": "notes/2024/summary.md", "content": "Résumé\n" }""");

        Assert.Equal("notes/2024/summary.md", (string?)result!["path"]);
        Assert.Equal(9, (int?)result["bytes"]);
        Assert.Equal("Résumé\n", await File.ReadAllTextAsync(_workspace.Path("notes/2024/summary.md")));
    }

    [Fact]
    public async Task Write_ExistingFile_ReplacesItsContent()
    {
        _workspace.Write("a.txt", "a much longer old content");

        await CreateSut().InvokeAsync("files.write", """{ "path": "a.txt", "content": "new" }""");

        Assert.Equal("new", await File.ReadAllTextAsync(_workspace.Path("a.txt")));
    }

    [Fact]
    public async Task Write_EmptyContent_CreatesAnEmptyFile()
    {
        var result = await CreateSut().InvokeAsync("files.write", """{ "path": "empty.txt", "content": "" }""");

        Assert.Equal(0, (int?)result!["bytes"]);
        Assert.Equal(0, new FileInfo(_workspace.Path("empty.txt")).Length);
    }

    [Fact]
    public async Task Write_WrittenFile_CanBeReadBack()
    {
        var set = CreateSut();
        await set.InvokeAsync("files.write", """{ "path": "round/trip.txt", "content": "ünïcødé ✓" }""");

        var read = await set.InvokeAsync("files.read", """{ "path": "round/trip.txt" }""");

        Assert.Equal("ünïcødé ✓", (string?)read!["content"]);
    }

    [Fact]
    public async Task Write_OntoDirectory_FailsWithExecutionError()
    {
        _workspace.CreateDirectory("src");

        var error = await CreateSut().FailsAsync("files.write", """{ "path": "src", "content": "x" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("'src' is a directory, not a file", error.Message);
    }

    [Fact]
    public async Task Write_UnderAFile_FailsWithExecutionErrorWithoutHostPath()
    {
        _workspace.Write("README.md", "x");

        var error = await CreateSut().FailsAsync("files.write", """{ "path": "README.md/child.txt", "content": "x" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("cannot write 'README.md/child.txt'", error.Message);
        _workspace.AssertNoHostPath(error.Message);
    }

    [Theory]
    [InlineData("""{ "path": "a.txt" }""", "argument 'content' is required")]
    [InlineData("""{ "path": "a.txt", "content": 5 }""", "argument 'content' must be a string")]
    [InlineData("""{ "content": "x" }""", "argument 'path' is required")]
    [InlineData("""{ "path": "notes/", "content": "x" }""", "path 'notes/' must name a file, not a directory")]
    [InlineData("""{ "path": ".", "content": "x" }""", "path '.' must name a file, not a directory")]
    [InlineData("""{ "path": "a/..", "content": "x" }""", "path 'a/..' must name a file, not a directory")]
    [InlineData("""{ "path": "a.txt", "content": "x", "append": true }""", "unknown argument 'append'; expected: path, content")]
    public async Task Write_BadArguments_FailValidationNamingTheField(string arguments, string message)
    {
        var error = await CreateSut().FailsAsync("files.write", arguments);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Write_ContentOverOneMebibyte_FailsValidation()
    {
        var content = new string('é', 600 * 1024); // 1.2 MB as UTF-8, under the character bound

        var error = await Assert.ThrowsAsync<ToolException>(async () =>
            await CreateSut().InvokeAsync("files.write", new System.Text.Json.Nodes.JsonObject { ["path"] = "big.txt", ["content"] = content }));

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("argument 'content' must be at most 1048576 bytes as UTF-8", error.Message);
        Assert.False(File.Exists(_workspace.Path("big.txt")));
    }
}
