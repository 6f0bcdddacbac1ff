using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace ScriptHarness.Packaging.Tests;

/// <summary>
/// The solution packed once, as built (<c>dotnet pack ScriptHarness.sln --no-build</c>, the configuration of this test
/// run) into a temporary folder: every package and symbols package it makes.
/// </summary>
public sealed class PackedSolution : IDisposable
{
    public PackedSolution()
    {
        Output = Directory.CreateTempSubdirectory("scriptharness-pack-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in new[] { "pack", Path.Combine(RepoRoot, "ScriptHarness.sln"), "--no-build", "-c", Metadata("Configuration"), "-o", Output, "-nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        ExitCode = process.ExitCode;
        Log = stdout.Result + stderr.Result;
    }

    public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));

    public string Output { get; }

    public int ExitCode { get; }

    public string Log { get; }

    public IReadOnlyList<string> PackageIds => [.. Directory.GetFiles(Output, "*.nupkg").Select(p => Id(Path.GetFileName(p))).Order(StringComparer.Ordinal)];

    public string PackagePath(string id) => Path.Combine(Output, $"{id}.1.0.0.nupkg");

    public string SymbolsPath(string id) => Path.Combine(Output, $"{id}.1.0.0.snupkg");

    /// <summary>The nuspec's metadata element of package <paramref name="id"/>, with names stripped of their namespace.</summary>
    public XElement Metadata(string id, out IReadOnlyList<string> entries)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        entries = [.. zip.Entries.Select(e => e.FullName)];
        using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
        var document = XDocument.Load(nuspec);
        foreach (var element in document.Descendants())
        {
            element.Name = element.Name.LocalName;
        }

        return document.Root!.Element("metadata")!;
    }

    public string ReadEntry(string id, string entry)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    public void Dispose() => Directory.Delete(Output, recursive: true);

    private static string Id(string file) => file[..file.IndexOf(".1.0.0.", StringComparison.Ordinal)];

    private static string Metadata(string key) =>
        typeof(PackedSolution).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
