using System.Globalization;
using Microsoft.Extensions.Configuration;
using ScriptHarness.AI.Mcp;
using ScriptHarness.Tools;

namespace ScriptHarness.Cli;

/// <summary>
/// The stdio MCP servers of a command (<c>--mcp "[name=]command args"</c>, repeatable, after the configuration's
/// <c>McpServers</c> array), started with the bounds of the configuration's <c>Mcp</c> section and exposed as toolsets;
/// disposing stops them.
/// </summary>
internal sealed class CliMcpServers : IAsyncDisposable
{
    /// <summary>The configuration key of the servers: an array of <c>[name=]command args</c> lines.</summary>
    public const string ConfigurationKey = "McpServers";

    /// <summary>The configuration section of the servers' bounds (<c>McpToolOptions</c>: MaxMessageBytes, MaxMessageValues, StartTimeout, MaxTools, MaxToolListBytes).</summary>
    public const string OptionsKey = "Mcp";

    // Typed apart from the MCP client's own types, so a command without servers never loads ScriptHarness.AI.
    private readonly List<IAsyncDisposable> _sources = [];
    private readonly List<ToolSet> _toolSets = [];

    public IReadOnlyList<ToolSet> ToolSets => _toolSets;

    public static IReadOnlyList<string> Lines(IConfiguration configuration, IEnumerable<string>? flags) =>
        [.. configuration.GetSection(ConfigurationKey).GetChildren().Select(c => c.Value).OfType<string>(), .. flags ?? []];

    /// <summary>Starts every server; a server that fails to start, or whose namespace is taken, is a usage error.</summary>
    public static Task<CliMcpServers> StartAsync(IReadOnlyList<string> lines, IConfiguration configuration, IReadOnlyList<ToolSet> builtIn,
        CancellationToken cancellationToken) =>
        lines.Count == 0 ? Task.FromResult(new CliMcpServers()) : StartServersAsync(lines, configuration.GetSection(OptionsKey), builtIn, cancellationToken);

    private static async Task<CliMcpServers> StartServersAsync(IReadOnlyList<string> lines, IConfiguration bounds, IReadOnlyList<ToolSet> builtIn,
        CancellationToken cancellationToken)
    {
        var options = Options(bounds);
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
                    source = await McpToolSource.StartAsync(command, options, cancellationToken: cancellationToken).ConfigureAwait(false);
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

    // A value that does not parse is a usage error naming its key; one out of range is refused by McpToolSource, as a
    // server that did not start.
    private static McpToolOptions Options(IConfiguration bounds)
    {
        var defaults = new McpToolOptions();
        return defaults with
        {
            MaxMessageBytes = Number(bounds, nameof(McpToolOptions.MaxMessageBytes)) ?? defaults.MaxMessageBytes,
            MaxMessageValues = Number(bounds, nameof(McpToolOptions.MaxMessageValues)) ?? defaults.MaxMessageValues,
            MaxTools = Number(bounds, nameof(McpToolOptions.MaxTools)) is { } tools ? (int)Math.Clamp(tools, int.MinValue, int.MaxValue) : defaults.MaxTools,
            MaxToolListBytes = Number(bounds, nameof(McpToolOptions.MaxToolListBytes)) ?? defaults.MaxToolListBytes,
            StartTimeout = Duration(bounds, nameof(McpToolOptions.StartTimeout)) ?? defaults.StartTimeout,
        };
    }

    private static long? Number(IConfiguration bounds, string key) => bounds[key] is not { } text ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw NotA(key, text, "whole number");

    private static TimeSpan? Duration(IConfiguration bounds, string key) => bounds[key] is not { } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw NotA(key, text, "time span (hh:mm:ss)");

    private static CliUsageException NotA(string key, string text, string what) =>
        new($"{OptionsKey}:{key} in the configuration is '{text}', which is not a {what}");

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
