using System.Text.Json.Nodes;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class FilesSearchTests : IDisposable
{
    private readonly TempWorkspace _workspace = new TempWorkspace()
        .Write("README.md", "# Demo\nRun `node src/app.js`.\n")
        .Write("src/app.js", "import { greet } from './util.js';\r\n\r\nconsole.log(greet('world'));\r\n")
        .Write("src/util.js", "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n")
        .Write("docs/notes.md", "TODO: greet in French\n");

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    private static List<(string Path, int Line, string Text)> Hits(JsonNode? result) =>
        [.. result!.AsArray().Select(h => ((string)h!["path"]!, (int)h["line"]!, (string)h["text"]!))];

    [Fact]
    public async Task Search_Query_ReturnsMatchingLinesInPathThenLineOrder()
    {
        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet" }""");

        Assert.Equal(
            [
                ("docs/notes.md", 1, "TODO: greet in French"),
                ("src/app.js", 1, "import { greet } from './util.js';"),
                ("src/app.js", 3, "console.log(greet('world'));"),
                ("src/util.js", 1, "export function greet(name) {"),
            ],
            Hits(result));
    }

    [Fact]
    public async Task Search_IsCaseSensitive()
    {
        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "Greet" }""");

        Assert.Empty(result!.AsArray());
    }

    [Fact]
    public async Task Search_Dir_LimitsTheSearchToThatDirectory()
    {
        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "src" }""");

        Assert.All(Hits(result), h => Assert.StartsWith("src/", h.Path, StringComparison.Ordinal));
        Assert.Equal(3, result!.AsArray().Count);
    }

    [Fact]
    public async Task Search_Limit_StopsAtLimitMatches()
    {
        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "limit": 2 }""");

        Assert.Equal([("docs/notes.md", 1), ("src/app.js", 1)], Hits(result).Select(h => (h.Path, h.Line)));
    }

    [Fact]
    public async Task Search_BinaryFile_IsSkipped()
    {
        _workspace.Write("bin/tool.bin", [(byte)'g', (byte)'r', (byte)'e', (byte)'e', (byte)'t', 0, 1, 2]);

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "bin" }""");

        Assert.Empty(result!.AsArray());
    }

    [Fact]
    public async Task Search_FileOverOneMebibyte_IsSkipped()
    {
        _workspace.Write("big/huge.txt", "greet\n" + new string('x', 1024 * 1024));
        _workspace.Write("big/small.txt", "greet\n");

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "big" }""");

        Assert.Equal(["big/small.txt"], Hits(result).Select(h => h.Path));
    }

    [Theory]
    [InlineData(FilesSearchTool.MaxFileBytes, true)]
    [InlineData(FilesSearchTool.MaxFileBytes + 1, false)]
    public async Task Search_ReadsAFile_NoFurtherThanOneMebibyte(int length, bool read)
    {
        // The size the walk saw can be old (a log being written): the read itself stops one byte past the bound.
        _workspace.Write("grown.log", new byte[length]);

        var bytes = await FilesSearchTool.TryReadAsync(_workspace.Path("grown.log"), CancellationToken.None);

        Assert.Equal(read ? length : null, bytes?.Length);
    }

    [Fact]
    public async Task Search_LongLine_IsCutAroundTheMatch()
    {
        _workspace.Write("min/app.min.js", new string('a', 1000) + "NEEDLE" + new string('b', 1000));

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "NEEDLE", "dir": "min" }""");

        var text = Hits(result).Single().Text;
        Assert.Contains("NEEDLE", text, StringComparison.Ordinal);
        Assert.StartsWith("…", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.Equal(202, text.Length);
    }

    [Fact]
    public async Task Search_MissingDirectory_FailsWithExecutionError()
    {
        var error = await CreateSut().FailsAsync("files.search", """{ "query": "x", "dir": "nope" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("directory 'nope' not found", error.Message);
    }

    [Theory]
    [InlineData("{}", "argument 'query' is required")]
    [InlineData("""{ "query": "" }""", "argument 'query' must not be empty")]
    [InlineData("""{ "query": "a\nb" }""", "argument 'query' must not contain line breaks")]
    [InlineData("""{ "query": "a", "limit": -1 }""", "argument 'limit' must be an integer between 1 and 1000")]
    [InlineData("""{ "query": "a", "regex": true }""", "unknown argument 'regex'; expected: query, dir, limit")]
    public async Task Search_BadArguments_FailValidationNamingTheField(string arguments, string message)
    {
        var error = await CreateSut().FailsAsync("files.search", arguments);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    // A match near the start keeps the line's start; near the end, its end; a line of exactly 200 characters is whole.
    [InlineData(10, 300, "", 200, "…")]
    [InlineData(290, 300, "…", 200, "")]
    [InlineData(150, 300, "…", 200, "…")]
    [InlineData(100, 200, "", 200, "")]
    [InlineData(100, 201, "…", 200, "")]
    public async Task Search_LongLine_WindowAroundTheMatch(int at, int length, string prefix, int kept, string suffix)
    {
        var line = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26)))).ToCharArray();
        "NEEDLE".CopyTo(0, line, at, Math.Min(6, length - at));
        var text = new string(line);
        _workspace.Write("min/line.txt", text + "\n");

        var found = Hits(await CreateSut().InvokeAsync("files.search", """{ "query": "NEED", "dir": "min" }""")).Single().Text;

        var start = length <= 200 ? 0 : Math.Max(0, Math.Min(at - 60, length - 200));
        Assert.Equal(prefix + text.Substring(start, kept) + suffix, found);
    }

    [Fact]
    public async Task Search_QueryStartingWithALineBreak_IsRefused()
    {
        var error = await CreateSut().FailsAsync("files.search", """{ "query": "\ngreet" }""");
        Assert.Equal("argument 'query' must not contain line breaks", error.Message);
    }

    [Fact]
    public async Task Search_DirIsAFile_SaysItIsNotADirectory()
    {
        var error = await CreateSut().FailsAsync("files.search", """{ "query": "x", "dir": "README.md" }""");
        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("'README.md' is a file, not a directory", error.Message);
    }

    [Fact]
    public async Task Search_FileOfExactlyOneMebibyte_IsSearched()
    {
        _workspace.Write("big/edge.txt", "greet\n" + new string('x', (1024 * 1024) - 6));

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "big" }""");

        Assert.Equal([("big/edge.txt", 1)], Hits(result).Select(h => (h.Path, h.Line)));
    }

    [Fact]
    public async Task Search_NulAsTheFirstByte_MarksABinaryFile()
    {
        _workspace.Write("bin/lead.bin", [0, (byte)'g', (byte)'r', (byte)'e', (byte)'e', (byte)'t']);

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "bin" }""");

        Assert.Empty(result!.AsArray());
    }

    [Fact]
    public async Task Search_ACharacterSplitAtTheFilesEnd_ShowsAsAReplacement()
    {
        // The whole file is read, so a split character at its end is the file's own: shown, not dropped as a cut.
        _workspace.Write("enc/tail.txt", [.. "greet "u8, 0xE2, 0x82]);

        var result = await CreateSut().InvokeAsync("files.search", """{ "query": "greet", "dir": "enc" }""");

        Assert.Equal("greet \uFFFD", Hits(result).Single().Text);
    }
}
