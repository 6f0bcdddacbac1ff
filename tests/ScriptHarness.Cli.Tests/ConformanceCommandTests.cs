using System.Text.Json.Nodes;

namespace ScriptHarness.Cli.Tests;

public sealed class ConformanceCommandTests
{
    [Fact]
    public async Task Conformance_FilteredRun_WritesAColumnPerEngineAndIsolationMode_DefaultModeFirst()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliProcess.RunAsync(["conformance", "--engine", "jint", "v8", "--filter", "LANG-00", "--out", folder]);
            Assert.True(result.ExitCode == 0, result.ToString());
            string[] columns = ["jint (in-process)", "jint (process)", "v8 (process)", "v8 (in-process)"];
            foreach (var column in columns)
            {
                Assert.Contains($"{column}: 9 passed, 0 failed, 0 skipped of 9", result.Stdout, StringComparison.Ordinal);
            }

            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")))!;
            Assert.Equal(columns, report["engines"]!.AsArray().Select(e => e!.GetValue<string>()));
            var results = report["results"]!.AsArray();
            Assert.Equal(36, results.Count);
            Assert.All(columns, c => Assert.Equal(9, results.Count(r => r!["engine"]!.GetValue<string>() == c)));
            Assert.True(File.Exists(Path.Combine(folder, "report.md")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("in-process", "jint (in-process)")]
    [InlineData("process", "jint (process)")]
    public async Task Conformance_OneIsolationMode_RunsOnlyThatColumn(string isolation, string column)
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliProcess.RunAsync(["conformance", "--engine", "jint", "--isolation", isolation, "--filter", "LANG-001", "--out", folder]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"{column}: 1 passed, 0 failed, 0 skipped of 1", result.Stdout, StringComparison.Ordinal);
            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")))!;
            Assert.Equal([column], report["engines"]!.AsArray().Select(e => e!.GetValue<string>()));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--engine", "nope")]
    [InlineData("--filter", "NOPE-")]
    [InlineData("--isolation", "vm")]
    public async Task Conformance_UnknownEngineFilterOrIsolation_IsAUsageError(string option, string value)
    {
        var result = await CliProcess.RunAsync(["conformance", option, value, "--out", Path.GetTempPath()]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("scriptharness:", result.Stderr, StringComparison.Ordinal);
    }
}
