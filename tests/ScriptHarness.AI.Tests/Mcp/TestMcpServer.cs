using System.Reflection;
using ScriptHarness.AI.Mcp;

namespace ScriptHarness.AI.Tests.Mcp;

/// <summary>The stdio MCP server built with the tests (tests/ScriptHarness.AI.TestMcpServer).</summary>
internal static class TestMcpServer
{
    public static string DllPath { get; } = typeof(TestMcpServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestMcpServer").Value!;

    public static McpServerCommand Command(string? name = null) => new(name, "dotnet", [DllPath]);

    /// <summary>The server with a list of tools that never ends (<c>endless</c>) or is never answered (<c>silent</c>).</summary>
    public static McpServerCommand Listing(string list) => new("srv", "dotnet", [DllPath, "--list", list]);
}
