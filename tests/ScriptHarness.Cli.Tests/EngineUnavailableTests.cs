using System.Text;
using System.Text.Json.Nodes;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// Issue 16.3: with V8's native library missing, every block ended harness_internal, the exit code was 0 and stderr
/// said nothing; <c>engines</c> listed v8 as available. Now the engine is tried first: exit 3 with the engine and why.
/// </summary>
public sealed class EngineUnavailableTests(CliWithoutV8Library cli) : IClassFixture<CliWithoutV8Library>
{
    private static readonly byte[] Reply = Encoding.UTF8.GetBytes("Hi <tool-calls>return 1;</tool-calls>");

    [Theory]
    [InlineData("process")]
    [InlineData("in-process")]
    public async Task Run_V8WithoutItsNativeLibrary_ExitsThreeNamingTheEngineAndWhy(string isolation)
    {
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--engine", "v8", "--isolation", isolation], Reply, cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("scriptharness: engine 'v8' cannot run on this machine: its native library ClearScriptV8.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot be loaded", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("harness_internal", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DisabledMode_DoesNotNeedTheEngine()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--engine", "v8", "--mode", "disabled"], Reply, cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"status\":\"skipped\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_JintInTheSameInstall_StillRuns()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl"], Reply, cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"value\":1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_V8WithoutItsNativeLibrary_ExitsThreeBeforeServing()
    {
        var result = await CliProcess.RunAsync(["mcp", "--engine", "v8"], [], cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("engine 'v8' cannot run on this machine", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engines_V8WithoutItsNativeLibrary_IsListedAsNotAvailableWithTheReason()
    {
        var result = await CliProcess.RunAsync(["engines"], cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        var v8 = Assert.Single(lines, l => l.StartsWith("v8 ", StringComparison.Ordinal));
        Assert.Contains("not available: its native library ClearScriptV8.", v8, StringComparison.Ordinal);
        Assert.DoesNotContain("MemoryLimit", v8, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("jint ", StringComparison.Ordinal) && l.Contains("isolation: in-process (default)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Conformance_AllEngines_SkipsTheOneThatCannotRunSayingWhy()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-no-v8-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliProcess.RunAsync(["conformance", "--filter", "LANG-001", "--out", folder], cliAssembly: cli.Assembly);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("engine 'v8' cannot run on this machine, its scenarios are skipped", result.Stderr, StringComparison.Ordinal);
            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")))!;
            var v8 = report["results"]!.AsArray().Where(r => r!["engine"]!.GetValue<string>().StartsWith("v8 (", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, v8.Count);
            Assert.All(v8, r => Assert.Equal("skip", r!["status"]!.GetValue<string>()));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Conformance_NamedEngineThatCannotRun_ExitsThree()
    {
        var result = await CliProcess.RunAsync(["conformance", "--engine", "v8", "--filter", "LANG-001", "--out", Path.GetTempPath()], cliAssembly: cli.Assembly);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("engine 'v8' cannot run on this machine", result.Stderr, StringComparison.Ordinal);
    }
}
