using System.Text;

namespace ScriptHarness.Cli.Tests;

/// <summary>Issue 16.3: messages a person can act on, and the exit codes the README promises.</summary>
public sealed class CliMessagesTests
{
    private static readonly byte[] Reply = Encoding.UTF8.GetBytes("<tool-calls>return 1;</tool-calls>");

    [Fact]
    public async Task Run_MalformedConfigFile_ExitsTwoSayingWhereTheJsonBreaks()
    {
        var config = Path.Combine(Path.GetTempPath(), $"sh-bad-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, "{\n  \"Limits\": { bad }\n}");
        try
        {
            var result = await CliProcess.RunAsync(["run", "-", "--config", config], Reply);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith($"scriptharness: configuration file '{config}' is not valid: not JSON at line 2, column ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Run_ConfigFileThatIsADirectory_ExitsTwoSayingSo()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--config", Path.GetTempPath()], Reply);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is a directory", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout-ms", "abc", "'abc' is not a valid value for --timeout-ms (expected a positive whole number of milliseconds)")]
    [InlineData("--timeout-ms", "0", "'0' is not a valid value for --timeout-ms (expected a positive whole number of milliseconds)")]
    [InlineData("--memory-mb", "1.5", "'1.5' is not a valid value for --memory-mb (expected a positive whole number of MiB)")]
    [InlineData("--max-tool-calls", "-1", "'-1' is not a valid value for --max-tool-calls (expected a whole number of tool calls, 0 or more)")]
    public async Task Run_BadNumber_SaysWhatWasExpectedNotADotNetType(string option, string value, string message)
    {
        var result = await CliProcess.RunAsync(["run", "-", option, value], Reply);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("scriptharness: " + message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DirectoryAsFile_SaysItIsADirectory()
    {
        var result = await CliProcess.RunAsync(["run", CliProcess.Samples]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"'{CliProcess.Samples}' is a directory", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "-", "--toolset", "bogus")]
    [InlineData("tools", "--toolset", "files,bogus")]
    [InlineData("run", "-", "--format", "xml")]
    [InlineData("run", "-", "--engine", "quickjs")]
    public async Task BadValue_MessageHasNoParameterSuffix(params string[] args)
    {
        var result = await CliProcess.RunAsync(args, Reply);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("scriptharness: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownEngineFlag_NamesTheKnownOnesAndTheClosest()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--engine", "V8"], Reply);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'V8' is not a valid value for --engine (expected jint or v8); did you mean v8?", result.Stderr, StringComparison.Ordinal);
    }
}
