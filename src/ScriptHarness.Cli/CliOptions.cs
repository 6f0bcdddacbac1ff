using System.CommandLine;

namespace ScriptHarness.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<string> Toolset() => new("--toolset")
    {
        Description = "Comma-separated built-in toolsets to offer scripts: files, test.",
        DefaultValueFactory = _ => "files",
    };

    public static Option<DirectoryInfo?> Workspace() => new("--workspace")
    {
        Description = "Root folder of the files toolset (default: the current directory).",
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "JSON configuration file (keys as in ScriptHarnessOptions; SCRIPTHARNESS__* environment variables override it).",
    };

    public static Option<string[]> Mcp() => new("--mcp")
    {
        Description = "A stdio MCP server whose tools scripts may call as tools.<server>.<tool>: \"[name=]command args\". Repeatable; also the McpServers array of the configuration.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
