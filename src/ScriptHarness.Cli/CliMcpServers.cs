using Microsoft.Extensions.Configuration;
using ScriptHarness.AI.Mcp;
using ScriptHarness.Tools;

namespace ScriptHarness.Cli;

/// <summary>
/// The stdio MCP servers of a command (<c>--mcp "[name=]command args"</c>, repeatable, after the configuration's
/// <c>McpServers</c> array), started and exposed as toolsets; disposing stops them.
/// </summary>
internal sealed class CliMcpServers : IAsyncDisposable
{
    /// <summary>The configuration key of the servers: an array of <c>[name=]command args</c> lines.</summary>
    public const string ConfigurationKey = "McpServers";

    // Typed apart from the MCP client's own types, so a command without servers never loads ScriptHarness.AI.
    private readonly List<IAsyncDisposable> _sources = [];
    private readonly List<ToolSet> _toolSets = [];

    public IReadOnlyList<ToolSet> ToolSets => _toolSets;

    public static IReadOnlyList<string> Lines(IConfiguration configuration, IEnumerable<string>? flags) =>
        [.. configuration.GetSection(ConfigurationKey).GetChildren().Select(c => c.Value).OfType<string>(), .. flags ?? []];

    /// <summary>Starts every server; a server that fails to start, or whose namespace is taken, is a usage error.</summary>
    public static Task<CliMcpServers> StartAsync(IReadOnlyList<string> lines, IReadOnlyList<ToolSet> builtIn, CancellationToken cancellationToken) =>
        lines.Count == 0 ? Task.FromResult(new CliMcpServers()) : StartServersAsync(lines, builtIn, cancellationToken);

    private static async Task<CliMcpServers> StartServersAsync(IReadOnlyList<string> lines, IReadOnlyList<ToolSet> builtIn, CancellationToken cancellationToken)
    {
        var servers = new CliMcpServers();
        try
        {
            var taken = new HashSet<string>(builtIn.Select(s => s.Name), StringComparer.Ordinal);
            foreach (var line in lines)
            {
                McpServerCommand command;
                try
                {
                    command = McpServerCommand.Parse(line);
                }
                catch (FormatException ex)
                {
                    throw new CliUsageException($"--mcp \"{line}\": {ex.Message}");
                }

                McpToolSource source;
                try
                {
                    source = await McpToolSource.StartAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    // The SDK reports its handshake broken off by our token as a time-out.
                    throw new OperationCanceledException("interrupted while the MCP server started", ex, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new CliUsageException($"MCP server \"{line}\" did not start: {ex.Message}");
                }

                servers._sources.Add(source);
                servers._toolSets.Add(source.Tools);
                if (!taken.Add(source.Name))
                {
                    throw new CliUsageException($"MCP server \"{line}\" would be tools.{source.Name}, which is taken: name it, e.g. --mcp \"other={line}\"");
                }
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        _sources.Clear();
        _toolSets.Clear();
    }
}
