using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.AI.Mcp;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Cli.Commands;

/// <summary>
/// <c>scriptharness mcp</c>: serves the harness as an MCP server over standard input and output — one
/// <c>execute_script</c> tool over the chosen toolsets and MCP servers, described with their TypeScript declarations.
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var engine = CliOptions.Engine();
        var workspace = CliOptions.Workspace();
        var toolset = CliOptions.Toolset();
        var config = CliOptions.Config();
        var mcp = CliOptions.Mcp();
        var approve = new Option<string>("--approve")
        {
            // Standard input is the protocol: there is no terminal to ask on.
            Description = "Tool calls that need approval: all (approve them) or none (deny them; default).",
            DefaultValueFactory = _ => "none",
            HelpName = "all|none",
        };
        CliOptions.OneOf(approve, "all", "none");
        var command = new Command("mcp", "Serve the harness as an MCP server over stdio: one execute_script tool over the tools.")
        {
            engine, workspace, toolset, config, mcp, approve,
        };

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(engine) is { } name)
            {
                overrides["Engine"] = name;
            }

            var configuration = CliHost.BuildConfiguration(parse.GetValue(config), overrides);
            var toolSets = CliHost.ResolveToolSets(parse.GetValue(toolset)!, parse.GetValue(workspace));
            IApprovalService approvals = parse.GetValue(approve) == "all"
                ? FixedApprovalService.ApproveAll
                : FixedApprovalService.DenyAllWith("denied: the MCP server was started with --approve none");
            await using var mcpServers = await CliMcpServers.StartAsync(CliMcpServers.Lines(configuration, parse.GetValue(mcp)), configuration, toolSets, cancellationToken).ConfigureAwait(false);
            await using var services = CliHost.BuildServices(configuration, [.. toolSets, .. mcpServers.ToolSets], approvals);
            var harness = services.GetRequiredService<HarnessPipeline>();

            // Before the client is told there is a server: one that would fail every script is not started.
            await EngineProbe.EnsureRunsAsync(harness, services, cancellationToken).ConfigureAwait(false);
            await ScriptHarnessMcpServer.RunStdioAsync(harness, harness.Tools, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
