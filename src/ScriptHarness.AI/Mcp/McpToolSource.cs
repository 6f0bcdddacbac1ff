using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ScriptHarness.AI.Tools;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Mcp;

/// <summary>
/// A running stdio MCP server whose tools are harness tools, <c>tools.&lt;server&gt;.&lt;tool&gt;</c>. A tool annotated
/// <c>readOnlyHint</c> needs no approval; one whose <c>destructiveHint</c> is false needs none either; every other
/// tool (destructive, or not annotated: MCP's default is destructive) needs approval per call unless
/// <see cref="McpToolOptions.RequireApproval"/> says otherwise. Disposing stops the server.
/// </summary>
public sealed class McpToolSource : IAsyncDisposable
{
    private readonly McpClient _client;

    private McpToolSource(McpClient client, ToolSet tools)
    {
        _client = client;
        Tools = tools;
    }

    /// <summary>The server's tools as a toolset named after the server.</summary>
    public ToolSet Tools { get; }

    /// <summary>The namespace of the tools.</summary>
    public string Name => Tools.Name;

    /// <summary>Starts <paramref name="server"/>, lists its tools and makes them harness tools.</summary>
    /// <exception cref="ConfigurationException">Two tools end up with the same name.</exception>
    public static async Task<McpToolSource> StartAsync(McpServerCommand server, McpToolOptions? options = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        options ??= new McpToolOptions();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = server.Name ?? Path.GetFileNameWithoutExtension(server.Command),
            Command = server.Command,
            Arguments = [.. server.Arguments],
        }, loggerFactory);
        var client = await McpClient.CreateAsync(transport, loggerFactory: loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var name = ToolNames.Sanitize(server.Name ?? client.ServerInfo?.Name ?? Path.GetFileNameWithoutExtension(server.Command));
            return new McpToolSource(client, ToToolSet(name, tools, options));
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Makes MCP client tools a toolset (the conversion <see cref="StartAsync"/> uses, for clients a host made itself).</summary>
    /// <exception cref="ConfigurationException">Two tools end up with the same name.</exception>
    public static ToolSet ToToolSet(string @namespace, IEnumerable<McpClientTool> tools, McpToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        options ??= new McpToolOptions();
        var list = tools.ToList();
        var space = ToolNames.Sanitize(@namespace);
        var problems = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var definitions = new List<ToolDefinition>();
        foreach (var tool in list)
        {
            var definition = AIFunctionTools.Create(tool, space, options.ToolOptions, options.RequireApproval?.Invoke(tool) ?? DefaultApproval(tool.ProtocolTool), Handler(tool));
            if (!seen.TryAdd(definition.ShortName, tool.Name))
            {
                problems.Add($"MCP tools '{seen[definition.ShortName]}' and '{tool.Name}' would both be tools.{definition.Name}");
                continue;
            }

            definitions.Add(definition);
        }

        return problems.Count > 0 ? throw new ConfigurationException(problems) : new ToolSet(space, definitions);
    }

    /// <summary>Whether a call of <paramref name="tool"/> needs approval by its annotations.</summary>
    public static bool DefaultApproval(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var hints = tool.Annotations;
        return hints?.ReadOnlyHint != true && hints?.DestructiveHint != false;
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    // Structured content when the server gives it; otherwise the text (one string, or a list when there are several).
    private static ToolHandler Handler(McpClientTool tool) => async (arguments, context, cancellationToken) =>
    {
        var values = JsonConversions.ToArguments(arguments);
        var result = await tool.CallAsync(values, cancellationToken: cancellationToken).ConfigureAwait(false);
        var texts = result.Content.Select(Describe).ToList();
        if (result.IsError == true)
        {
            throw ToolException.Execution($"{tool.Name} failed: {string.Join("\n", texts.Select(t => t?.ToString()))}");
        }

        if (result.StructuredContent is { } structured)
        {
            return JsonNode.Parse(structured.GetRawText());
        }

        return texts.Count switch
        {
            0 => null,
            1 => texts[0],
            _ => new JsonArray([.. texts]),
        };
    };

    private static JsonNode? Describe(ContentBlock block) => block switch
    {
        TextContentBlock text => JsonValue.Create(text.Text),
        _ => JsonSerializer.SerializeToNode(block, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ContentBlock))),
    };
}
