using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Tests;

/// <summary>Issue 16.4: the conventions of clig.dev and the dotnet CLI.</summary>
public sealed class CliConventionsTests
{
    [Fact]
    public async Task Help_UsageNamesTheCommandScriptharness()
    {
        var root = await CliProcess.RunAsync(["--help"]);
        var run = await CliProcess.RunAsync(["run", "--help"]);
        Assert.True(root.ExitCode == 0 && run.ExitCode == 0, root + "\n" + run);
        Assert.Contains("Usage:\n  scriptharness [command] [options]", root.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Usage:\n  scriptharness run [<FILE>] [options]", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("ScriptHarness.Cli", root.Stdout + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_PrintsTheHelpOnStdoutAndExitsZero()
    {
        var result = await CliProcess.RunAsync([]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("conformance", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData("unknown option '--engin'; did you mean --engine?", "run", "--engin", "v8", "-")]
    [InlineData("unknown option '--fromat'; did you mean --format?", "run", "-", "--fromat", "jsonl")]
    [InlineData("unknown option '--typscript'; did you mean --typescript?", "tools", "--typscript")]
    [InlineData("unknown command 'rn'; did you mean run?", "rn")]
    [InlineData("unknown command 'engnies'; did you mean engines?", "engnies")]
    [InlineData("'jsnol' is not a valid value for --format (expected text, jsonl or msgpack); did you mean jsonl?", "run", "-", "--format", "jsnol")]
    public async Task Typo_ExitsTwoWithDidYouMean(string message, params string[] args)
    {
        var result = await CliProcess.RunAsync(args, Encoding.UTF8.GetBytes("x"));
        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stderr.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("scriptharness: " + message, lines[0]);
        Assert.StartsWith("Try 'scriptharness", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_AfterDoubleDash_IsTheFileNotAnOption()
    {
        var result = await CliProcess.RunAsync(["run", "--", "--no-such-file"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'--no-such-file' does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConformanceHelp_ListsTheEnginesTheCliHas()
    {
        var result = await CliProcess.RunAsync(["conformance", "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"one or more of {string.Join(", ", CliEngines.Names)}", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("yantra", result.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CliEngines_OneListMatchingTheEnginesItRegisters()
    {
        var services = new ServiceCollection();
        CliEngines.AddAll(services);
        using var provider = services.BuildServiceProvider();
        Assert.Equal(CliEngines.Names, provider.GetServices<IScriptEngineFactory>().Select(e => e.Name));
        Assert.Equal(CliEngines.Default, CliEngines.Names[0]);
    }

    [Fact]
    public async Task Run_TextFormat_ShowsProgressMessagesOnStderr()
    {
        var reply = "<tool-calls>context.progress('reading the files'); return 1;</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-"], Encoding.UTF8.GetBytes(reply));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("script #0 progress: reading the files", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("reading the files", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TextFormat_ProgressCannotDriveTheTerminal()
    {
        var reply = "<tool-calls>context.progress('a\\u001b[2Jb\\nforged line'); return 1;</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-"], Encoding.UTF8.GetBytes(reply));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("script #0 progress: a\\u001B[2Jb\\u000Aforged line", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stderr);
    }

    [Fact]
    public async Task Run_Jsonl_KeepsStderrQuietOfProgress()
    {
        var reply = "<tool-calls>context.progress('reading the files'); return 1;</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl"], Encoding.UTF8.GetBytes(reply));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Run_ApproveAskWithoutATerminal_IsAUsageErrorNotASilentDeny()
    {
        var result = await CliProcess.RunAsync(["run", Path.Combine(CliProcess.Samples, "reply-write.md"), "--approve", "ask", "--workspace", Path.Combine(CliProcess.Samples, "workspace")]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("--approve ask needs a terminal", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--approve all or --approve none", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conformance_StderrRedirected_PrintsNoProgress()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-quiet-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliProcess.RunAsync(["conformance", "--engine", "jint", "--filter", "LANG-00", "--out", folder]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(string.Empty, result.Stderr);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // script(1) gives the CLI a terminal (a pseudo-terminal) for stdin, stdout and stderr alike.
    [SkippableFact]
    public async Task Conformance_OnATerminal_ShowsProgressAndClearsIt()
    {
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/usr/bin/script"), "needs script(1) for a pseudo-terminal");
        var folder = Path.Combine(Path.GetTempPath(), "conformance-tty-" + Guid.NewGuid().ToString("N"));
        try
        {
            var command = $"dotnet '{CliProcess.CliAssembly}' conformance --engine jint --isolation in-process --filter LANG-00 --out '{folder}'";
            var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-q", "-e", "-c", command, "/dev/null" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var text = await output;
            Assert.True(process.ExitCode == 0, text);
            Assert.Contains("\rjint (in-process): 0/9 scenarios, 0 failed", text.Replace("\u001b[K", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("jint (in-process): 9/9 scenarios, 0 failed", text, StringComparison.Ordinal);
            Assert.Contains("jint (in-process): 9 passed, 0 failed, 0 skipped of 9", text, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
