using System.Text.Json.Nodes;

namespace ScriptHarness.Cli.Tests;

public sealed class ConformanceCommandTests
{
    [Fact]
    public async Task Conformance_FilteredRun_WritesTheReportWithEveryEngineColumn()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliProcess.RunAsync(["conformance", "--engine", "jint", "v8", "--filter", "LANG-00", "--out", folder]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("jint: 9 passed, 0 failed, 0 skipped of 9", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("v8: 9 passed, 0 failed, 0 skipped of 9", result.Stdout, StringComparison.Ordinal);
            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")))!;
            Assert.Equal(["jint", "v8"], report["engines"]!.AsArray().Select(e => e!.GetValue<string>()));
            Assert.Equal(18, report["results"]!.AsArray().Count);
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
    [InlineData("--engine", "nope")]
    [InlineData("--filter", "NOPE-")]
    public async Task Conformance_UnknownEngineOrFilter_IsAUsageError(string option, string value)
    {
        var result = await CliProcess.RunAsync(["conformance", option, value, "--out", Path.GetTempPath()]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("scriptharness:", result.Stderr, StringComparison.Ordinal);
    }
}
