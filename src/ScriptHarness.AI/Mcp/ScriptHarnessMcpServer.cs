using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ScriptHarness.AI.Chat;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Mcp;

/// <summary>
/// The harness as an MCP server: one tool, <c>execute_script</c>, over the harness's tools, described with their
/// TypeScript declarations (also sent as the server's instructions), so any MCP client gets code mode.
/// </summary>
public static class ScriptHarnessMcpServer
{
    /// <summary>The server's name in the MCP handshake: <c>scriptharness</c>.</summary>
    public const string ServerName = "scriptharness";

    /// <summary>The options of such a server, for hosts that run it on a transport of their own.</summary>
    public static McpServerOptions CreateOptions(IScriptHarness harness, ToolRegistry tools, RunOptions? runOptions = null)
    {
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(tools);
        var function = harness.AsAIFunction(tools, ScriptHarnessFunctionExtensions.DefaultName, runOptions);
        var tool = McpServerTool.Create(function, new McpServerToolCreateOptions
        {
            Name = function.Name,
            Title = "Run a script over the host's tools",
            // What the script may do is what its tools may do.
            ReadOnly = false,
            Destructive = tools.Tools.Any(t => t.RequiresApproval),
            OpenWorld = false,
        });
        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = ServerName, Version = typeof(ScriptHarnessMcpServer).Assembly.GetName().Version?.ToString() ?? "0" },
            ServerInstructions = CodeModeInstructions.Declarations(tools),
            ToolCollection = [tool],
        };
    }

    /// <summary>Serves the harness over standard input and output until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunStdioAsync(IScriptHarness harness, ToolRegistry tools, RunOptions? runOptions = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var options = CreateOptions(harness, tools, runOptions);
        var transport = new StdioServerTransport(options, loggerFactory);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, options, loggerFactory);
            await using (server.ConfigureAwait(false))
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
