using System.IO.Compression;
using System.Xml.Linq;

namespace ScriptHarness.Packaging.Tests;

/// <summary>
/// Packages a user can trust: every package the solution makes carries a license, where its code lives (with the
/// commit), the README, tags, a symbols package, and says what it is; engines say which platforms they run on, and the
/// CLI is a .NET tool called scriptharness.
/// </summary>
public sealed class PackageMetadataTests(PackedSolution packed) : IClassFixture<PackedSolution>
{
    private static readonly string[] Shipped =
    [
        "ScriptHarness", "ScriptHarness.AI", "ScriptHarness.Cli", "ScriptHarness.Conformance", "ScriptHarness.Engines.Jint",
        "ScriptHarness.Engines.Process", "ScriptHarness.Engines.V8", "ScriptHarness.Hosting", "ScriptHarness.State",
    ];

    public static TheoryData<string> Packages => [.. Shipped];

    [Fact]
    public void Pack_TheSolution_MakesExactlyTheShippedPackages()
    {
        Assert.True(packed.ExitCode == 0, packed.Log);
        Assert.Equal(Shipped, packed.PackageIds);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesLicenseUrlsReadmeAndTags(string id)
    {
        var metadata = packed.Metadata(id, out var entries);

        var license = metadata.Element("license")!;
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        var repository = metadata.Element("repository")!;
        Assert.Equal("git", (string?)repository.Attribute("type"));
        var url = (string?)repository.Attribute("url");
        Assert.StartsWith("https://", url, StringComparison.Ordinal);
        Assert.Equal(url, (string?)metadata.Element("projectUrl"));
        if (Directory.Exists(Path.Combine(PackedSolution.RepoRoot, ".git")) || File.Exists(Path.Combine(PackedSolution.RepoRoot, ".git")))
        {
            // Built from a clone: the commit travels with the package, and SourceLink maps the symbols to it.
            Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? string.Empty);
        }

        Assert.Equal("README.md", (string?)metadata.Element("readme"));
        Assert.Contains("README.md", entries);
        Assert.StartsWith("# ScriptHarness", packed.ReadEntry(id, "README.md"), StringComparison.Ordinal);

        Assert.Contains("scriptharness", ((string?)metadata.Element("tags") ?? string.Empty).Split(' '));
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element("description")));
        Assert.Equal("1.0.0", (string?)metadata.Element("version"));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void EveryLibraryPackage_DeclaresItsPublicApi(string id)
    {
        // PublicApiAnalyzers fails the build on an undeclared or vanished public symbol only where the files exist: a
        // library shipped without them would change its API unnoticed. The CLI is a tool, with no API to declare.
        var project = Directory.GetFiles(PackedSolution.RepoRoot, id + ".csproj", SearchOption.AllDirectories)
            .Single(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var shipped = Path.Combine(Path.GetDirectoryName(project)!, "PublicAPI.Shipped.txt");
        if (id == "ScriptHarness.Cli")
        {
            Assert.False(File.Exists(shipped), "the CLI declares no API");
            return;
        }

        Assert.True(File.Exists(shipped), $"{id} has no PublicAPI.Shipped.txt (bash eng/update-public-api.sh)");
        Assert.True(File.Exists(Path.ChangeExtension(shipped, null).Replace("Shipped", "Unshipped", StringComparison.Ordinal) + ".txt"));
        var lines = File.ReadAllLines(shipped);
        Assert.Equal("#nullable enable", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(id + ".", StringComparison.Ordinal) || l.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_HasASymbolsPackageWithItsPdb(string id)
    {
        using var symbols = ZipFile.OpenRead(packed.SymbolsPath(id));
        Assert.Contains(symbols.Entries, e => e.FullName.EndsWith($"/{id}.pdb", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ScriptHarness.Engines.Jint", "every platform")]
    [InlineData("ScriptHarness.Engines.V8", "linux-x64 only")]
    [InlineData("ScriptHarness.Engines.Process", "Platforms:")]
    [InlineData("ScriptHarness.Cli", "v8 on linux-x64 only")]
    public void EnginePackages_SayWhichPlatformsTheyRunOn(string id, string platforms) =>
        Assert.Contains(platforms, (string?)packed.Metadata(id, out _).Element("description") ?? string.Empty, StringComparison.Ordinal);

    [Fact]
    public void ProcessPackage_CarriesItsWorkerAsContentCopiedToTheOutput()
    {
        // A host installing the package must find scriptharness-worker/ next to the assembly, as WorkerLocator expects.
        var metadata = packed.Metadata("ScriptHarness.Engines.Process", out var entries);

        Assert.Contains(entries, e => e.StartsWith("contentFiles/any/net10.0/scriptharness-worker/", StringComparison.Ordinal)
            && e.EndsWith("/ScriptHarness.Engines.Worker.dll", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.StartsWith("contentFiles/any/net10.0/scriptharness-worker/", StringComparison.Ordinal)
            && e.EndsWith("/ScriptHarness.Engines.Worker.runtimeconfig.json", StringComparison.Ordinal));
        var files = metadata.Element("contentFiles")?.Elements("files").ToList() ?? [];
        Assert.Contains(files, f => (string?)f.Attribute("copyToOutput") == "true" && ((string?)f.Attribute("include") ?? "").Contains("scriptharness-worker", StringComparison.Ordinal));
    }

    [Fact]
    public void Cli_IsADotnetToolCalledScriptharness()
    {
        var metadata = packed.Metadata("ScriptHarness.Cli", out var entries);

        Assert.Equal("DotnetTool", (string?)metadata.Element("packageTypes")?.Element("packageType")?.Attribute("name"));
        var settings = entries.Single(e => e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        var command = XDocument.Parse(packed.ReadEntry("ScriptHarness.Cli", settings)).Descendants("Command").Single();
        Assert.Equal("scriptharness", (string?)command.Attribute("Name"));
        Assert.Equal("ScriptHarness.Cli.dll", (string?)command.Attribute("EntryPoint"));
    }
}
