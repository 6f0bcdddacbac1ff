namespace ScriptHarness.Cli.Tests;

/// <summary>
/// A copy of the built CLI without V8's native library (ClearScriptV8.*), next to the CLI and in its
/// worker's folder: what a machine V8 does not support, or a broken install, looks like.
/// </summary>
public sealed class CliWithoutV8Library : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sh-cli-no-v8-");

    public CliWithoutV8Library()
    {
        var source = Path.GetDirectoryName(CliProcess.CliAssembly)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            // The native library and its signature files; the managed assemblies are ClearScript.V8*.dll.
            if (Path.GetFileName(file).StartsWith("ClearScriptV8.", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(_folder.FullName, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assembly = Path.Combine(_folder.FullName, Path.GetFileName(CliProcess.CliAssembly));
    }

    /// <summary>The copy's ScriptHarness.Cli.dll.</summary>
    public string Assembly { get; }

    public void Dispose() => _folder.Delete(recursive: true);
}
