using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// Regression (issue 9): Ctrl+C killed <c>run</c> mid-reply — no end to the output, exit by signal. Now the items so
/// far stand, each unfinished block gets a <c>cancelled</c> line, and the exit code is 130.
/// </summary>
public sealed class RunCommandCancellationTests
{
    private const string Reply = "<tool-calls>\nreturn 1;\n</tool-calls>\nthinking\n<tool-calls>\nawait tools.test.sleep({ ms: 60000 });\n</tool-calls>\n"
        + "<tool-calls>\nreturn 3;\n</tool-calls>\nbye\n";

    [SkippableFact]
    public async Task Run_InterruptedBySigint_WritesItemsSoFarThenCancelledForEachUnfinishedBlockAndExits130()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGINT is a Unix signal");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = CliProcess.RepoRoot,
        };
        string cli = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!;
        foreach (var arg in new[] { Path.GetFullPath(cli), "run", "-", "--format", "jsonl", "--toolset", "test" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(Reply);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // The first block's result and the prose after it come at once; the second block sleeps a minute.
        var lines = new List<string>();
        while (lines.Count < 2 && await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
        {
            lines.Add(line);
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(patience.Token);
        }

        lines.AddRange((await process.StandardOutput.ReadToEndAsync(patience.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync(patience.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{string.Join('\n', lines)}\n{await stderr}");
        var items = lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([0, 1, 2, 4], items.Select(i => (int)i["index"]!));
        Assert.Equal("ok", (string?)items[0]["status"]);
        Assert.All(items.Skip(2), i => Assert.Equal("cancelled", (string?)i["error"]!["code"]));
        Assert.Empty(await stderr);
    }
}
