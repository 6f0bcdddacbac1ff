using System.CommandLine;

namespace ScriptHarness.Cli.Commands;

/// <summary>The commands of <c>scriptharness</c>, in the order its help lists them.</summary>
internal static class CliCommands
{
    // Each command's name beside its factory; a test holds each name equal to the command the factory makes.
    private static readonly (string Name, Func<Command> Create)[] All =
    [
        ("run", RunCommand.Create),
        ("resume", ResumeCommand.Create),
        ("engines", EnginesCommand.Create),
        ("tools", ToolsCommand.Create),
        ("conformance", ConformanceCommand.Create),
        ("mcp", McpCommand.Create),
    ];

    /// <summary>Every command's name, in help order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(c => c.Name)];

    /// <summary>
    /// The commands to build for <paramref name="args"/>: only the one the first argument names, else all of them (the
    /// root's help, a mistyped command's suggestions). Building every command's options cost a cold <c>run</c> ~12 ms.
    /// </summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args)
    {
        foreach (var (name, create) in All)
        {
            if (args.Count > 0 && args[0] == name)
            {
                return [create()];
            }
        }

        return All.Select(c => c.Create());
    }
}
