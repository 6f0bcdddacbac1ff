using System.CommandLine;
using System.Globalization;

namespace ScriptHarness.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<string?> Engine() => OneOf(
        new Option<string?>("--engine") { Description = $"Engine to run scripts on: {CliEngines.Described}.", HelpName = "NAME" },
        [.. CliEngines.Names]);

    /// <summary>
    /// Restricts <paramref name="option"/> to <paramref name="values"/> (exactly, as the commands compare them), with an
    /// error that names them and the closest one ("'jsnol' is not a valid value for --format (expected text, jsonl or
    /// msgpack); did you mean jsonl?"). Also what shell completion offers.
    /// </summary>
    public static TOption OneOf<TOption>(TOption option, params string[] values)
        where TOption : Option
    {
        ArgumentNullException.ThrowIfNull(option);
        var expected = values.Length == 1 ? values[0] : $"{string.Join(", ", values[..^1])} or {values[^1]}";
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                {
                    result.AddError($"'{token.Value}' is not a valid value for {option.Name} (expected {expected}){UsageErrors.DidYouMean(token.Value, values)}");
                }
            }
        });
        option.CompletionSources.Add(values);
        return option;
    }

    public static Option<string> Toolset() => new("--toolset")
    {
        Description = "Comma-separated built-in toolsets to offer scripts: files, test.",
        DefaultValueFactory = _ => "files",
        HelpName = "LIST",
    };

    public static Option<DirectoryInfo?> Workspace() => new("--workspace")
    {
        Description = "Root folder of the files toolset (default: the current directory).",
        HelpName = "DIR",
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "JSON configuration file (keys as in ScriptHarnessOptions; SCRIPTHARNESS__* environment variables override it).",
        HelpName = "FILE",
    };

    public static Option<string[]> Mcp() => new("--mcp")
    {
        Description = "A stdio MCP server whose tools scripts may call as tools.<server>.<tool>: \"[name=]command args\". Repeatable; also the McpServers array of the configuration.",
        Arity = ArgumentArity.ZeroOrMore,
        HelpName = "\"[name=]command args\"",
    };

    /// <summary>
    /// A whole-number option of at least <paramref name="minimum"/>, whose parse error says what was expected
    /// ("'abc' is not a valid value for --timeout-ms (expected a positive whole number of milliseconds)"), not a .NET type.
    /// </summary>
    public static Option<int?> WholeNumber(string name, string description, string unit, int minimum)
    {
        var expected = minimum switch
        {
            1 => $"a positive whole number of {unit}",
            0 => $"a whole number of {unit}, 0 or more",
            _ => $"a whole number of {unit}, at least {minimum.ToString(CultureInfo.InvariantCulture)}",
        };
        return new Option<int?>(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum)
                {
                    return value;
                }

                result.AddError($"'{text}' is not a valid value for {name} (expected {expected})");
                return null;
            },
        };
    }

    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
