using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>The workspace confinement on its own: its root, path checks at their edges, link hops, what messages show.</summary>
public sealed class WorkspaceTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static string Refusal(Action resolve)
    {
        var ex = Assert.Throws<ToolException>(resolve);
        Assert.Equal(ScriptErrorCode.ToolValidationFailed, ex.Error.Code);
        return ex.Error.Message;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Root_Blank_IsRefused(string? root)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new Workspace(root!));
        Assert.Equal("root", ex.ParamName);
    }

    [Fact]
    public void Root_Missing_SaysSo()
    {
        var missing = Path.Join(_workspace.Root, "nope");
        var ex = Assert.Throws<ArgumentException>(() => new Workspace(missing));
        Assert.StartsWith($"The workspace root '{missing}' is not an existing directory.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_WithATrailingSeparator_IsTheSameRoot()
    {
        _workspace.Write("a.txt", "x");
        var sut = new Workspace(_workspace.Root + Path.DirectorySeparatorChar);

        Assert.Equal(Path.Join(sut.Root.FullPath, "a.txt"), sut.Resolve("a.txt").FullPath);
        Assert.Equal(".", sut.Root.Display);
        Assert.Equal(string.Empty, sut.RealRelative(sut.Root));
    }

    [Fact]
    public void Link_ToASiblingWhoseNameStartsWithTheRoots_IsOutside()
    {
        // "/tmp/ws-x" starts with "/tmp/ws" as text: only a comparison with the separator keeps it out.
        var sibling = _workspace.Root + "-twin";
        Directory.CreateDirectory(sibling);
        try
        {
            File.WriteAllText(Path.Join(sibling, "secret.txt"), "s");
            Directory.CreateSymbolicLink(_workspace.Path("twin"), sibling);
            var sut = new Workspace(_workspace.Root);

            Assert.Equal("path 'twin/secret.txt' is outside the workspace", Refusal(() => sut.Resolve("twin/secret.txt")));
        }
        finally
        {
            Directory.Delete(sibling, recursive: true);
        }
    }

    [Fact]
    public void Resolve_Null_Throws()
    {
        var sut = new Workspace(_workspace.Root);
        Assert.Throws<ArgumentNullException>(() => sut.Resolve(null!));
    }

    [Fact]
    public void Resolve_PathOfTheMaximumLength_IsAccepted_OneMoreIsRefused()
    {
        var sut = new Workspace(_workspace.Root);

        Assert.Equal(Workspace.MaxPathLength, sut.Resolve(new string('a', Workspace.MaxPathLength)).Relative.Length);
        Assert.Equal("path is longer than 1024 characters", Refusal(() => sut.Resolve(new string('a', Workspace.MaxPathLength + 1))));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    public void Resolve_Absolute_IsRefusedEitherSeparator(string path)
    {
        var sut = new Workspace(_workspace.Root);
        Assert.Equal($"path '{path}' is absolute; use a path relative to the workspace root", Refusal(() => sut.Resolve(path)));
    }

    [Fact]
    public void Resolve_AColonInASegment_IsAPlainNameHere()
    {
        // Only Windows gives ':' a meaning (drives, alternate data streams); elsewhere it is part of a file name.
        var sut = new Workspace(_workspace.Root);
        Assert.Equal("a:b/c", sut.Resolve("a:b/c").Relative);
    }

    [Fact]
    public void Show_ReplacesControlCharacters_AndClipsAt200()
    {
        Assert.Equal("a?b?c", Workspace.Show("a\nb\u0007c"));
        Assert.Equal(new string('x', 200), Workspace.Show(new string('x', 200)));
        Assert.Equal(new string('x', 200) + "…", Workspace.Show(new string('x', 201)));
    }

    [Fact]
    public void Links_FortyHopsAreFollowed_FortyOneAreACycle()
    {
        _workspace.Write("end.txt", "end");
        for (var i = 1; i <= 41; i++)
        {
            File.CreateSymbolicLink(_workspace.Path($"l{i}"), i == 41 ? "end.txt" : $"l{i + 1}");
        }

        var sut = new Workspace(_workspace.Root);

        // From l2 the chain is 40 links to end.txt; from l1, 41.
        Assert.Equal(_workspace.Path("end.txt"), sut.Resolve("l2").FullPath);
        Assert.Equal("path 'l1' is outside the workspace", Refusal(() => sut.Resolve("l1")));
    }

    [Fact]
    public void Enumerate_ALinkToAFileInside_IsListedAsALinkedFileWithItsSize()
    {
        _workspace.Write("data/real.txt", "12345");
        File.CreateSymbolicLink(_workspace.Path("data/alias.txt"), "real.txt");
        File.CreateSymbolicLink(_workspace.Path("data/dangling.txt"), "gone.txt");
        var sut = new Workspace(_workspace.Root);

        var entries = sut.Enumerate(sut.Resolve("data"), recursive: false, CancellationToken.None).ToList();

        Assert.Equal(
            [("data/alias.txt", false, 5L, true), ("data/real.txt", false, 5L, false)],
            entries.Select(e => (e.Path.Relative, e.IsDirectory, e.Size, e.IsLink)));
    }

    [Fact]
    public void Enumerate_Cancelled_Stops()
    {
        _workspace.Write("a/b.txt", "x");
        var sut = new Workspace(_workspace.Root);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => sut.Enumerate(sut.Root, recursive: true, cts.Token).ToList());
    }
}
