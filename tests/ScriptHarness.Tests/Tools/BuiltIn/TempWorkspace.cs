using System.Text;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>A throw-away workspace directory, plus a sibling directory "outside" it for escape attempts.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("sh-ws-").FullName;
        Outside = Directory.CreateTempSubdirectory("sh-out-").FullName;
        File.WriteAllText(System.IO.Path.Join(Outside, "secret.txt"), "top secret");
    }

    /// <summary>The workspace root (absolute host path, which must never appear in a message).</summary>
    public string Root { get; }

    /// <summary>A directory outside the workspace holding <c>secret.txt</c>.</summary>
    public string Outside { get; }

    public string Path(string relative) => System.IO.Path.Join(Root, relative);

    public TempWorkspace Write(string relative, string content) => Write(relative, Encoding.UTF8.GetBytes(content));

    public TempWorkspace Write(string relative, byte[] content)
    {
        var full = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    public TempWorkspace CreateDirectory(string relative)
    {
        Directory.CreateDirectory(Path(relative));
        return this;
    }

    /// <summary>Asserts that <paramref name="message"/> gives away neither directory's host path.</summary>
    public void AssertNoHostPath(string message)
    {
        Assert.DoesNotContain(Root, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Outside, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(System.IO.Path.GetFileName(Root), message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(System.IO.Path.GetTempPath().TrimEnd('/', '\\'), message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        // Recursive delete removes links themselves, never what they point to.
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
    }
}
