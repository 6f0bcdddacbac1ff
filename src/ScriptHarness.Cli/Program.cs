using System.CommandLine;
using ScriptHarness.Cli;
using ScriptHarness.Cli.Commands;

var root = new RootCommand("ScriptHarness: run the <tool-calls> scripts of a model reply in a sandbox.")
{
    RunCommand.Create(),
    EnginesCommand.Create(),
    ToolsCommand.Create(),
    ConformanceCommand.Create(),
    McpCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("scriptharness: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Try 'scriptharness --help'.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
