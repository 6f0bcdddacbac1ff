using Microsoft.Extensions.AI;
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
    public static McpServerOptions CreateOptions(IScriptHarness harness, ToolRegistry tools, RunOptions? runOptions = null) =>
        CreateOptions(harness, tools, runOptions, CancellationToken.None);

    /// <summary>Serves the harness over standard input and output until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    /// <remarks>When the client disconnects, the scripts still running for it are cancelled: no one is left to read their results.</remarks>
    public static async Task RunStdioAsync(IScriptHarness harness, ToolRegistry tools, RunOptions? runOptions = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        using var disconnected = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = CreateOptions(harness, tools, runOptions, disconnected.Token);
        var transport = new StdioServerTransport(options, loggerFactory);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, options, loggerFactory);
            await using (server.ConfigureAwait(false))
            {
                // The server waits for the calls in flight before it ends; a script would otherwise run on to its time
                // limit, a core busy and the process alive, for a client that has gone (closed our standard input).
                _ = transport.MessageReader.Completion.ContinueWith(
                    static (_, state) => CancelQuietly((CancellationTokenSource)state!), disconnected,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static McpServerOptions CreateOptions(IScriptHarness harness, ToolRegistry tools, RunOptions? runOptions, CancellationToken disconnected)
    {
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(tools);
        AIFunction function = harness.AsAIFunction(tools, ScriptHarnessFunctionExtensions.DefaultName, runOptions);
        if (disconnected.CanBeCanceled)
        {
            function = new CancelledOnDisconnect(function, disconnected);
        }

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

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The server has ended and with it every call.
        }
    }

    private sealed class CancelledOnDisconnect(AIFunction inner, CancellationToken disconnected) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disconnected);
            return await base.InvokeCoreAsync(arguments, either.Token).ConfigureAwait(false);
        }
    }
}
