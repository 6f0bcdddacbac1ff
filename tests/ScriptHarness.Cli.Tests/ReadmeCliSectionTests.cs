using System.Reflection;
using System.Text.RegularExpressions;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// Issue 16: the README's CLI section matches the tool flag by flag and exit code by exit code. The help is the tool's
/// own word on its options, <see cref="ExitCodes"/> on its exit codes.
/// </summary>
public sealed partial class ReadmeCliSectionTests
{
    private static readonly string[] Commands = ["run", "resume", "mcp", "engines", "tools", "conformance"];

    private static string CliSection()
    {
        var readme = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## The CLI\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## The CLI' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    private static async Task<HashSet<string>> HelpOptionsAsync(string? command)
    {
        var result = await CliProcess.RunAsync(command is null ? ["--help"] : [command, "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. HelpOption().Matches(result.Stdout).Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public async Task EveryOptionOfEveryCommandsHelp_IsInTheReadmesCliSection()
    {
        var section = CliSection();
        foreach (var command in Commands.Prepend(null))
        {
            foreach (var option in await HelpOptionsAsync(command))
            {
                Assert.True(Regex.IsMatch(section, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])"), $"{command ?? "scriptharness"} {option} is not in the README's CLI section");
            }
        }
    }

    [Fact]
    public async Task EveryOptionTheReadmesCliSectionNames_IsOneTheToolHas()
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in Commands.Prepend(null))
        {
            known.UnionWith(await HelpOptionsAsync(command));
        }

        var block = CliSection();
        block = block[block.IndexOf("```text", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("```\n", 8, StringComparison.Ordinal)];
        foreach (Match flag in ReadmeFlag().Matches(block))
        {
            Assert.Contains(flag.Value, known);
        }
    }

    [Fact]
    public void EveryExitCode_IsInTheReadmesExitCodeTable()
    {
        var section = CliSection();
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetValue(null)!).Distinct();
        foreach (var code in codes)
        {
            Assert.Contains($"| **{code}** |", section, StringComparison.Ordinal);
        }

        var documented = ReadmeExitCode().Matches(section).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(documented, code => Assert.Contains(code, codes));
    }

    // "  --engine <NAME>   Engine to run …" and "  -?, -h, --help   Show help …" in the Options section of a help.
    [GeneratedRegex(@"^\s+(?:-\S+, )*(--[a-z][a-z0-9-]*)", RegexOptions.Multiline)]
    private static partial Regex HelpOption();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex ReadmeFlag();

    [GeneratedRegex(@"^\| \*\*(\d+)\*\* \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeExitCode();
}
