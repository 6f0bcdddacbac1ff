using System.Diagnostics;
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
        var start = CliProcess.StartInfo(["run", "-", "--format", "jsonl", "--toolset", "test"]);
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

    [SkippableFact]
    public async Task Run_InterruptedWhileAnMcpServerStarts_WritesCancelledForEachBlockAndExits130_AndStopsTheServer()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGINT is a Unix signal");

        // A server that never answers the handshake: the CLI waits in the MCP client's start-up (before, the interrupt
        // ended it with an unhandled exception and its stack trace).
        var seconds = Random.Shared.Next(100_000, 900_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = CliProcess.StartInfo(["run", "-", "--format", "jsonl", "--mcp", "sleep " + seconds]);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync("<tool-calls>\nreturn 1;\n</tool-calls>\ntext\n<tool-calls>\nreturn 2;\n</tool-calls>\n");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!Sleeping(seconds))
        {
            await Task.Delay(50, patience.Token);
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(patience.Token);
        }

        await process.WaitForExitAsync(patience.Token);

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{string.Join('\n', lines)}\n{await stderr}");
        var items = lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([0, 2], items.Select(i => (int)i["index"]!));
        Assert.All(items, i => Assert.Equal("cancelled", (string?)i["error"]!["code"]));
        Assert.Empty(await stderr);
        Assert.False(Sleeping(seconds), "the MCP server outlived the CLI");
    }

    private static bool Sleeping(string seconds) =>
        Directory.EnumerateDirectories("/proc").Any(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")) == "sleep\0" + seconds + "\0";
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });
}
