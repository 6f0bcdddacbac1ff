using System.CommandLine;
using ScriptHarness.Tools;

namespace ScriptHarness.Cli.Commands;

/// <summary><c>scriptharness tools</c>: the tools of the chosen toolsets, or their TypeScript declarations for a prompt.</summary>
internal static class ToolsCommand
{
    public static Command Create()
    {
        var toolset = CliOptions.Toolset();
        var workspace = CliOptions.Workspace();
        var typescript = new Option<bool>("--typescript") { Description = "Print TypeScript declarations of the tool API (for the model's prompt).", Arity = ArgumentArity.Zero };
        var deferred = new Option<bool>("--deferred")
        {
            Description = "With --typescript: print only the namespaces and the discovery API (tools.$search, tools.$describe), for catalogues too large for the prompt.",
            Arity = ArgumentArity.Zero,
        };
        var command = new Command("tools", "List the tools scripts can call.") { toolset, workspace, typescript, deferred };
        command.Validators.Add(result =>
        {
            if (result.GetValue(deferred) && !result.GetValue(typescript))
            {
                result.AddError("--deferred needs --typescript");
            }
        });
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            var registry = new ToolRegistry(CliHost.ResolveToolSets(parse.GetValue(toolset)!, parse.GetValue(workspace)).SelectMany(s => s.Tools));
            var text = parse.GetValue(typescript)
                ? parse.GetValue(deferred) ? TypeScriptDeclarations.GenerateDeferred(registry) : TypeScriptDeclarations.Generate(registry)
                : string.Join('\n', registry.Tools.Select(t => $"{t.Name,-16} {(t.RequiresApproval ? "[approval] " : string.Empty)}{t.Description}"));
            await Console.Out.WriteLineAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
