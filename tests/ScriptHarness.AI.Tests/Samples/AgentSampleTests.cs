using System.Diagnostics;
using System.Reflection;

namespace ScriptHarness.AI.Tests.Samples;

public sealed class AgentSampleTests
{
    private static string SamplePath => typeof(AgentSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AgentSample").Value!;

    [Theory]
    [InlineData("yes", "Done: order A-1001 was delivered and I refunded 42.50 EUR")]
    [InlineData("no", "was not approved, so nothing was refunded")]
    public async Task AgentSample_RunsOffline_AskingForTheNestedRefundCall(string answer, string finalWords)
    {
        var output = await RunSampleAsync("--approve", answer);

        Assert.Contains("approve shop.refund_order(id: A-1001, amount: 42.5)?", output, StringComparison.Ordinal);
        Assert.Contains(finalWords, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yes", "Done: order A-1001 was delivered and I refunded 42.50 EUR")]
    [InlineData("no", "was not approved, so nothing was refunded")]
    public async Task AgentSample_Durable_TheAnswerGoesToARestartedHost_WhichResumesTheScript(string answer, string finalWords)
    {
        var output = await RunSampleAsync("--durable", "--approve", answer);

        Assert.Contains("\"status\":\"suspended\"", output, StringComparison.Ordinal);
        var restarted = output.IndexOf("[host restarted", StringComparison.Ordinal);
        Assert.True(restarted > output.IndexOf("approve shop.refund_order(id: A-1001, amount: 42.5)?", StringComparison.Ordinal), output);
        Assert.True(output.IndexOf(finalWords, StringComparison.Ordinal) > restarted, output);
    }

    private static async Task<string> RunSampleAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(SamplePath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var output = await stdout;
        Assert.True(process.ExitCode == 0, output + await stderr);
        return output;
    }
}
