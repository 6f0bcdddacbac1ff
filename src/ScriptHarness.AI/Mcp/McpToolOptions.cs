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
}
