using ModelContextProtocol.Client;
using ScriptHarness.AI.Tools;

namespace ScriptHarness.AI.Mcp;

/// <summary>How an MCP server's tools become harness tools. Immutable.</summary>
public sealed record McpToolOptions
{
    /// <summary>
    /// Decides per tool whether each call needs approval, instead of its annotations (see <see cref="McpToolSource"/>);
    /// return null to keep the annotations' answer. Default null.
    /// </summary>
    public Func<McpClientTool, bool?>? RequireApproval { get; init; }

    /// <summary>Time limit and threading of the tools (<see cref="AIFunctionToolOptions"/>); its <c>RequireApproval</c> is not used.</summary>
    public AIFunctionToolOptions ToolOptions { get; init; } = new() { NonBlocking = true };

    /// <summary>
    /// The largest message a server may send, in bytes (UTF-8 JSON, one line). Default 16 MiB. A server that sends a
    /// larger one is stopped and its calls, that one and every later one, fail with <c>tool_execution_failed</c> saying
    /// so: the host reads each message whole, at about ten times its size in memory, so this bounds what a script can
    /// make a server send into the host (a whole file, a whole table).
    /// </summary>
    public long MaxMessageBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// The most JSON values a server's message may hold (counted as the commas and openings of arrays and objects outside
    /// strings). Default 1,000,000; between 1,000 and 100,000,000. A server that sends more is stopped as for
    /// <see cref="MaxMessageBytes"/>: the host makes a node of each value, so a message dense with small values costs
    /// far more than its size (an array of 5.5 M zeros, within 16 MiB, took the CLI to ~950 MB).
    /// </summary>
    public long MaxMessageValues { get; init; } = 1_000_000;

    /// <summary>
    /// How long a server may take to start: the handshake and the listing of its tools together. Default 60 s (npx may
    /// download a server first); at most 1 hour. A server that takes longer is stopped, and the start fails saying so.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Tools a server may list, across every page of its list. Default 1,000; between 1 and 100,000. A server that lists
    /// more is stopped and the start fails saying so: each tool is described to the model, and a list without end
    /// (a cursor that never runs out) would otherwise be read for ever.
    /// </summary>
    public int MaxTools { get; init; } = 1000;

    /// <summary>
    /// Bytes a server's tools may take, described (names, titles, descriptions and schemas, as UTF-8 JSON), across every
    /// page of its list. Default 8 MiB; between 64 KiB and 1 GiB. A server that lists more is stopped and the start fails
    /// saying so: the host keeps every description, and describes the tools to the model, so a few long pages (a
    /// description of 15 MiB a tool) would otherwise fill the host's memory before <see cref="MaxTools"/> is reached.
    /// </summary>
    public long MaxToolListBytes { get; init; } = 8L * 1024 * 1024;
}
