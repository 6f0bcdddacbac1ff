using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class FilesReadTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    [Fact]
    public async Task Read_ExistingFile_ReturnsContentSizeAndNotTruncated()
    {
        _workspace.Write("src/app.js", "console.log('héllo');\n");

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "src/app.js" }""");

        Assert.Equal("src/app.js", (string?)result!["path"]);
        Assert.Equal("console.log('héllo');\n", (string?)result["content"]);
        Assert.Equal(23, (long?)result["size"]);
        Assert.False((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Read_PathWithDotsAndBackslashes_ReturnsNormalizedPath()
    {
        _workspace.Write("src/app.js", "x");

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "./src//lib/..\\app.js" }""");

        Assert.Equal("src/app.js", (string?)result!["path"]);
    }

    [Fact]
    public async Task Read_FileLongerThanMaxBytes_IsTruncated()
    {
        _workspace.Write("big.txt", "hello world");

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "big.txt", "maxBytes": 5 }""");

        Assert.Equal("hello", (string?)result!["content"]);
        Assert.Equal(11, (long?)result["size"]);
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Read_TruncationInsideMultiByteCharacter_DropsThePartialCharacter()
    {
        _workspace.Write("utf8.txt", "aé€"); // 61 | C3 A9 | E2 82 AC

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "utf8.txt", "maxBytes": 4 }""");

        Assert.Equal("aé", (string?)result!["content"]);
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Read_DefaultMaxBytes_Is256KiB()
    {
        _workspace.Write("large.txt", new string('x', 300 * 1024));

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "large.txt" }""");

        Assert.Equal(256 * 1024, ((string?)result!["content"])!.Length);
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Read_FileWithByteOrderMark_OmitsTheMark()
    {
        _workspace.Write("bom.txt", [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "bom.txt" }""");

        Assert.Equal("hi", (string?)result!["content"]);
    }

    [Fact]
    public async Task Read_InvalidUtf8_UsesReplacementCharacter()
    {
        _workspace.Write("bad.txt", [(byte)'a', 0xFF, (byte)'b']);

        var result = await CreateSut().InvokeAsync("files.read", """{ "path": "bad.txt" }""");

        Assert.Equal("a\uFFFDb", (string?)result!["content"]);
    }

    [Fact]
    public async Task Read_MissingFile_FailsWithExecutionErrorNamingTheRelativePath()
    {
        var error = await CreateSut().FailsAsync("files.read", """{ "path": "docs/nope.md" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("file 'docs/nope.md' not found", error.Message);
        _workspace.AssertNoHostPath(error.Message);
    }

    [Fact]
    public async Task Read_Directory_FailsWithExecutionError()
    {
        _workspace.CreateDirectory("src");

        var error = await CreateSut().FailsAsync("files.read", """{ "path": "src" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("'src' is a directory, not a file", error.Message);
    }

    [Theory]
    [InlineData("{}", "argument 'path' is required")]
    [InlineData("""{ "path": null }""", "argument 'path' is required")]
    [InlineData("""{ "path": "" }""", "argument 'path' must not be empty")]
    [InlineData("""{ "path": 42 }""", "argument 'path' must be a string")]
    [InlineData("""{ "path": "a.txt", "maxBytes": 0 }""", "argument 'maxBytes' must be an integer between 1 and 1048576")]
    [InlineData("""{ "path": "a.txt", "maxBytes": 1.5 }""", "argument 'maxBytes' must be an integer between 1 and 1048576")]
    [InlineData("""{ "path": "a.txt", "maxBytes": "10" }""", "argument 'maxBytes' must be an integer between 1 and 1048576")]
    [InlineData("""{ "file": "a.txt" }""", "unknown argument 'file'; expected: path, maxBytes")]
    [InlineData("""["a.txt"]""", "arguments must be an object")]
    public async Task Read_BadArguments_FailValidationNamingTheField(string arguments, string message)
    {
        var error = await CreateSut().FailsAsync("files.read", arguments);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Read_ArgumentsBuiltInCode_AreAcceptedLikeParsedOnes()
    {
        _workspace.Write("a.txt", "abc");
        var arguments = new JsonObject { ["path"] = "a.txt", ["maxBytes"] = 2 };

        var result = await CreateSut().InvokeAsync("files.read", arguments);

        Assert.Equal("ab", (string?)result!["content"]);
    }

    [Fact]
    public async Task Read_CancelledToken_Throws()
    {
        _workspace.Write("a.txt", Encoding.UTF8.GetBytes("abc"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await CreateSut().InvokeAsync("files.read", JsonNode.Parse("""{ "path": "a.txt" }"""), cancellationToken: cts.Token));
    }
}
