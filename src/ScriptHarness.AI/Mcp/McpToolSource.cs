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
    private const long MinMessageBytes = 4 * 1024;
    private const long MaxMessageBytes = 1L << 30;
    private const long MinToolListBytes = 64 * 1024;

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo ToolJson = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));

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
    /// <exception cref="ConfigurationException">Two tools end up with the same name, or the options are out of range.</exception>
    /// <exception cref="IOException">
    /// The server could not be spoken to (when it exited, the message says with what code and its last error output),
    /// did not start within <see cref="McpToolOptions.StartTimeout"/>, or lists more than <see cref="McpToolOptions.MaxTools"/> tools
    /// or <see cref="McpToolOptions.MaxToolListBytes"/> of them.
    /// </exception>
    public static async Task<McpToolSource> StartAsync(McpServerCommand server, McpToolOptions? options = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        options ??= new McpToolOptions();
        Validate(options);

        var label = server.Name ?? Path.GetFileNameWithoutExtension(server.Command);
        var transport = new McpStdioTransport(server, label, options, loggerFactory);
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        start.CancelAfter(options.StartTimeout);
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, loggerFactory: loggerFactory, cancellationToken: start.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The SDK disposed the session it opened, and with it the server's process.
            throw new IOException(TooSlow(label, options), ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && transport.Fault(connectionLost: true) is { } why)
        {
            // The SDK says only that it could not send the handshake; the server's exit says why.
            throw new IOException(why, ex);
        }

        try
        {
            var tools = await ListToolsAsync(client, label, options, start.Token).ConfigureAwait(false);
            var name = ToolNames.Sanitize(server.Name ?? client.ServerInfo?.Name ?? Path.GetFileNameWithoutExtension(server.Command));
            return new McpToolSource(client, ToToolSet(name, tools, options, transport.Fault));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new IOException(TooSlow(label, options), ex);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Validate(McpToolOptions options)
    {
        var problems = new List<string>();
        if (options.MaxMessageBytes is < MinMessageBytes or > MaxMessageBytes)
        {
            problems.Add($"McpToolOptions.MaxMessageBytes must be between {MinMessageBytes:N0} and {MaxMessageBytes:N0}");
        }

        if (options.StartTimeout <= TimeSpan.Zero || options.StartTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("McpToolOptions.StartTimeout must be positive and at most 1 hour");
        }

        if (options.MaxTools is < 1 or > 100_000)
        {
            problems.Add("McpToolOptions.MaxTools must be between 1 and 100,000");
        }

        if (options.MaxMessageValues is < 1_000 or > 100_000_000)
        {
            problems.Add("McpToolOptions.MaxMessageValues must be between 1,000 and 100,000,000");
        }

        if (options.MaxToolListBytes is < MinToolListBytes or > MaxMessageBytes)
        {
            problems.Add("McpToolOptions.MaxToolListBytes must be between 64 KiB and 1 GiB");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
    }

    // Page by page, so a list without end is noticed: the SDK's own listing follows cursors for as long as they come.
    private static async Task<List<McpClientTool>> ListToolsAsync(McpClient client, string label, McpToolOptions options, CancellationToken cancellationToken)
    {
        var tools = new List<McpClientTool>();
        var bytes = 0L;
        string? cursor = null;
        do
        {
            var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, cancellationToken).ConfigureAwait(false);
            foreach (var tool in page.Tools)
            {
                if (tools.Count == options.MaxTools)
                {
                    throw new IOException($"the MCP server '{label}' lists more than {options.MaxTools:N0} tools (McpToolOptions.MaxTools)");
                }

                // As the server described it: the page was read whole, but the list is kept, and goes to the model.
                bytes += JsonSerializer.SerializeToUtf8Bytes(tool, ToolJson).LongLength;
                if (bytes > options.MaxToolListBytes)
                {
                    throw new IOException(
                        $"the MCP server '{label}' describes its tools in more than {options.MaxToolListBytes:N0} bytes (McpToolOptions.MaxToolListBytes)");
                }

                tools.Add(new McpClientTool(client, tool));
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return tools;
    }

    private static string TooSlow(string label, McpToolOptions options) =>
        $"the MCP server '{label}' did not start within {options.StartTimeout.TotalSeconds:0.###} s (McpToolOptions.StartTimeout): no answer to its handshake or to the listing of its tools";

    /// <summary>Makes MCP client tools a toolset (the conversion <see cref="StartAsync"/> uses, for clients a host made itself).</summary>
    /// <exception cref="ConfigurationException">Two tools end up with the same name.</exception>
    public static ToolSet ToToolSet(string @namespace, IEnumerable<McpClientTool> tools, McpToolOptions? options = null) =>
        ToToolSet(@namespace, tools, options, static _ => null);

    private static ToolSet ToToolSet(string @namespace, IEnumerable<McpClientTool> tools, McpToolOptions? options, Func<bool, string?> fault)
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
            var definition = AIFunctionTools.Create(tool, space, options.ToolOptions, options.RequireApproval?.Invoke(tool) ?? DefaultApproval(tool.ProtocolTool), Handler(tool, fault));
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
    // A call that fails because the server's connection ended says why (the server exited, or sent too much), not only
    // that it failed: the script, or the model, can then stop asking that server.
    private static ToolHandler Handler(McpClientTool tool, Func<bool, string?> fault) => async (arguments, context, cancellationToken) =>
    {
        // The SDK would send a call to a server whose connection has ended and wait for an answer until the time limit.
        if (fault(false) is { } ended)
        {
            throw ToolException.Execution($"{context.Tool} failed: {ended}");
        }

        var values = JsonConversions.ToArguments(arguments);
        CallToolResult result;
        try
        {
            result = await tool.CallAsync(values, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && fault(ex is IOException) is { } why)
        {
            throw ToolException.Execution($"{context.Tool} failed: {why}");
        }
        catch (JsonException ex)
        {
            throw ToolException.Execution($"{context.Tool} failed: its server answered with a result that is not valid MCP ({ex.Message})");
        }

        var texts = result.Content.Select(Describe).ToList();
        if (result.IsError == true)
        {
            throw ToolException.Execution($"{context.Tool} failed: {string.Join("\n", texts.Select(t => t?.ToString()))}");
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
