using System.Diagnostics;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// Issue 16.7: <c>bash bench/compare.sh</c> rewrote the tracked README on every run. It now writes the README only with
/// <c>--write-readme</c>. The script runs for real, in a copy of the repository layout, with a <c>dotnet</c> on the PATH
/// that records its arguments instead of benchmarking (and no Node anchors).
/// </summary>
public sealed class BenchCompareScriptTests
{
    [SkippableFact]
    public async Task CompareScript_WithoutFlags_DoesNotAskTheReportToWriteTheReadme()
    {
        Skip.If(OperatingSystem.IsWindows(), "a bash script");
        var (exitCode, calls, stderr) = await RunAsync();
        Assert.True(exitCode == 0, stderr);
        var report = Assert.Single(calls, c => c.Contains(" report ", StringComparison.Ordinal));
        Assert.DoesNotContain("--readme", report, StringComparison.Ordinal);
        Assert.Contains("README.md left alone", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CompareScript_WriteReadmeFlag_AsksTheReportToWriteTheReadme()
    {
        Skip.If(OperatingSystem.IsWindows(), "a bash script");
        var (exitCode, calls, stderr) = await RunAsync("--write-readme");
        Assert.True(exitCode == 0, stderr);
        var report = Assert.Single(calls, c => c.Contains(" report ", StringComparison.Ordinal));
        Assert.Contains("--readme ", report, StringComparison.Ordinal);
        Assert.EndsWith("README.md", report.TrimEnd(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CompareScript_UnknownOption_ExitsWithTwoNamingItAndTheUsage()
    {
        Skip.If(OperatingSystem.IsWindows(), "a bash script");
        var (exitCode, calls, stderr) = await RunAsync("--wirte-readme");
        Assert.Equal(2, exitCode);
        Assert.Empty(calls);
        Assert.Contains("unknown option '--wirte-readme'", stderr, StringComparison.Ordinal);
        Assert.Contains("--write-readme", stderr.Replace("'--wirte-readme'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, List<string> DotnetCalls, string Stderr)> RunAsync(params string[] args)
    {
        var root = Directory.CreateTempSubdirectory("sh-compare-");
        try
        {
            var repo = Directory.CreateDirectory(Path.Combine(root.FullName, "repo"));
            Directory.CreateDirectory(Path.Combine(repo.FullName, "bench"));
            File.Copy(Path.Combine(CliProcess.RepoRoot, "bench", "compare.sh"), Path.Combine(repo.FullName, "bench", "compare.sh"));
            await File.WriteAllTextAsync(Path.Combine(repo.FullName, "README.md"), "<!-- bench:begin -->\n<!-- bench:end -->\n");
            var bin = Directory.CreateDirectory(Path.Combine(root.FullName, "bin"));
            var log = Path.Combine(root.FullName, "dotnet-calls.log");
            var shim = Path.Combine(bin.FullName, "dotnet");
            await File.WriteAllTextAsync(shim, $"#!/usr/bin/env bash\necho \"dotnet $*\" >> '{log}'\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = root.FullName,
            };
            start.ArgumentList.Add(Path.Combine(repo.FullName, "bench", "compare.sh"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["PATH"] = bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            start.Environment["ANCHORS_SRC"] = Path.Combine(root.FullName, "no-anchors");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            await stdout;
            var calls = File.Exists(log) ? (await File.ReadAllLinesAsync(log)).ToList() : [];
            return (process.ExitCode, calls, await stderr);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
