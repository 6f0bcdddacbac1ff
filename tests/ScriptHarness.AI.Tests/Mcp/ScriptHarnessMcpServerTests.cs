using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ScriptHarness.AI.Mcp;
using ScriptHarness.AI.Tools;
using ScriptHarness.Approvals;

namespace ScriptHarness.AI.Tests.Mcp;

public sealed class ScriptHarnessMcpServerTests
{
    [Fact]
    public async Task Server_OffersOneExecuteScriptTool_DescribedWithTheDeclarations_AndRunsScripts()
    {
        using var harness = Harnesses.Create(Harnesses.Add);
        var options = ScriptHarnessMcpServer.CreateOptions(harness, harness.Tools);
        var pipe = new System.IO.Pipelines.Pipe();
        var back = new System.IO.Pipelines.Pipe();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serverTransport = new ModelContextProtocol.Server.StreamServerTransport(pipe.Reader.AsStream(), back.Writer.AsStream());
        await using var server = ModelContextProtocol.Server.McpServer.Create(serverTransport, options);
        var serving = server.RunAsync(stop.Token);
        await using var client = await McpClient.CreateAsync(new StreamClientTransport(pipe.Writer.AsStream(), back.Reader.AsStream()), cancellationToken: stop.Token);

        var tool = Assert.Single(await client.ListToolsAsync(cancellationToken: stop.Token));
        Assert.Equal("execute_script", tool.Name);
        Assert.Contains("add(args: { a: number; b: number }): Promise<number>;", tool.Description, StringComparison.Ordinal);
        var result = await client.CallToolAsync("execute_script", new Dictionary<string, object?> { ["script"] = "return await tools.app.add({ a: 20, b: 22 });" }, cancellationToken: stop.Token);

        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        using var item = JsonDocument.Parse(text);
        Assert.Equal("ok", item.RootElement.GetProperty("status").GetString());
        Assert.Equal(42, item.RootElement.GetProperty("value").GetInt32());
        await stop.CancelAsync();
        await Task.WhenAny(serving); // the server stops with the token, however it reports it
    }

    [Fact]
    public void Server_ExecuteScriptIsDestructive_WhenAToolNeedsApproval()
    {
        using var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAll);

        var tool = Assert.Single(ScriptHarnessMcpServer.CreateOptions(harness, harness.Tools).ToolCollection!);

        Assert.True(tool.ProtocolTool.Annotations!.DestructiveHint);
    }
}
