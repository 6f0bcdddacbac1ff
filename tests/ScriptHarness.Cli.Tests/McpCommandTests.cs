using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ScriptHarness.Cli.Tests;

public sealed class McpCommandTests
{
    private static string TestServer => Path.GetFullPath(CliProcess.Metadata("TestMcpServer"));

    private static string ServerLine => $"dotnet \"{TestServer}\"";

    [Fact]
    public async Task Run_WithMcp_ScriptsCallTheServersToolsAsToolsServerTool()
    {
        var reply = "<tool-calls>\nconst e = await tools.test_server.echo({ text: 'hi' });\nconst s = await tools.test_server.add({ a: 1, b: 2 });\nreturn [e, s];\n</tool-calls>";

        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--toolset", "test", "--mcp", ServerLine], Encoding.UTF8.GetBytes(reply));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var item = JsonDocument.Parse(result.Stdout.Trim());
        Assert.Equal("""["hi",{"total":3}]""", item.RootElement.GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task Run_WithMcp_ADestructiveToolNeedsApproval_DeniedWithoutATerminal()
    {
        var reply = "<tool-calls>\nreturn await tools.srv.delete_item({ id: '1' });\n</tool-calls>";

        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--mcp", "srv=" + ServerLine], Encoding.UTF8.GetBytes(reply));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"code\":\"approval_denied\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithMcpServersInConfiguration_StartsThemToo()
    {
        var config = Path.Combine(Path.GetTempPath(), $"sh-mcp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { McpServers = new[] { "cfg=" + ServerLine } }));
        try
        {
            var reply = "<tool-calls>\nreturn await tools.cfg.echo({ text: 'from config' });\n</tool-calls>";

            var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--config", config], Encoding.UTF8.GetBytes(reply));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("\"value\":\"from config\"", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("MaxTools", "3", "lists more than 3 tools (McpToolOptions.MaxTools)")]
    [InlineData("MaxToolListBytes", "100", "McpToolOptions.MaxToolListBytes must be between 64 KiB and 1 GiB")]
    [InlineData("StartTimeout", "00:00:00", "McpToolOptions.StartTimeout must be positive")]
    [InlineData("MaxTools", "many", "Mcp:MaxTools in the configuration is 'many', which is not a whole number")]
    [InlineData("StartTimeout", "soon", "Mcp:StartTimeout in the configuration is 'soon', which is not a time span (hh:mm:ss)")]
    public async Task Run_TheServersBounds_ComeFromTheConfigurationsMcpSection(string key, string value, string error)
    {
        // The test server lists eight tools, in a few KiB.
        var config = Path.Combine(Path.GetTempPath(), $"sh-mcp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["McpServers"] = new[] { "cfg=" + ServerLine },
            ["Mcp"] = new Dictionary<string, string> { [key] = value },
        }));
        try
        {
            var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--config", config], Encoding.UTF8.GetBytes("hello"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(error, result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Run_WithAnMcpServerThatDoesNotStart_IsAUsageErrorNamingIt()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--mcp", "no-such-command-sh-test"], Encoding.UTF8.GetBytes("hello"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MCP server \"no-such-command-sh-test\" did not start", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnMcpServerNamedLikeAToolset_IsRefused()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--toolset", "test", "--mcp", "test=" + ServerLine], Encoding.UTF8.GetBytes("hello"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("which is taken", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_ServesExecuteScriptOverStdio_ToARealMcpClient()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "scriptharness",
            Command = "dotnet",
            Arguments = [Path.GetFullPath(CliProcess.Metadata("CliAssembly")), "mcp", "--toolset", "test", "--mcp", "srv=" + ServerLine],
            WorkingDirectory = CliProcess.RepoRoot,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);

        var tool = Assert.Single(await client.ListToolsAsync(cancellationToken: timeout.Token));
        Assert.Equal("execute_script", tool.Name);
        Assert.Contains("echo(args", tool.Description, StringComparison.Ordinal);
        Assert.Contains("srv: {", tool.Description, StringComparison.Ordinal);
        var result = await client.CallToolAsync("execute_script",
            new Dictionary<string, object?> { ["script"] = "const a = await tools.test.echo({ n: 1 }); const b = await tools.srv.echo({ text: 'x' }); return [a, b];" },
            cancellationToken: timeout.Token);

        using var item = JsonDocument.Parse(Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal("ok", item.RootElement.GetProperty("status").GetString());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""[{"n":1},"x"]"""),
            System.Text.Json.Nodes.JsonNode.Parse(item.RootElement.GetProperty("value").GetRawText())), item.RootElement.GetRawText());
    }

    [Fact]
    public async Task Mcp_WhenTheClientGoes_ItsScriptsStillRunningAreCancelled_AndTheServerEnds()
    {
        using var process = System.Diagnostics.Process.Start(CliProcess.StartInfo(["mcp"]))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // A script that never ends by itself (its time limit is 30 s), then the client closes the connection.
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"execute_script","arguments":{"script":"while (true) {}"}}}""");
        await process.StandardInput.FlushAsync(patience.Token);
        await Task.Delay(TimeSpan.FromSeconds(1), patience.Token);
        process.StandardInput.Close();
        var closed = TimeProvider.System.GetTimestamp();
        await process.WaitForExitAsync(patience.Token);

        // Before, the server waited for the script's time limit: 30 s after the client had gone.
        Assert.True(TimeProvider.System.GetElapsedTime(closed) < TimeSpan.FromSeconds(20), $"ended {TimeProvider.System.GetElapsedTime(closed)} after the client went\n{await stderr}");
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("\"id\":0", await stdout, StringComparison.Ordinal);
    }
}
