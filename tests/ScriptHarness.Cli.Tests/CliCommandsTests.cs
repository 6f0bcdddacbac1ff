using ScriptHarness.Cli.Commands;

namespace ScriptHarness.Cli.Tests;

/// <summary>Which commands <c>scriptharness</c> builds for its arguments: the one named, or all of them.</summary>
public sealed class CliCommandsTests
{
    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("rnu")]
    [InlineData("RUN")]
    [InlineData("--version", "run")]
    public void For_ArgumentsThatNameNoCommand_BuildsEveryCommand_InHelpOrder(params string[] args) =>
        Assert.Equal(["run", "resume", "engines", "tools", "conformance", "mcp"], CliCommands.For(args).Select(c => c.Name));

    [Theory]
    [InlineData("run")]
    [InlineData("resume")]
    [InlineData("engines")]
    [InlineData("tools")]
    [InlineData("conformance")]
    [InlineData("mcp")]
    public void For_ACommandsName_BuildsThatCommandAlone(string name)
    {
        var command = Assert.Single(CliCommands.For([name, "--help"]));

        Assert.Equal(name, command.Name);
        Assert.Contains(name, CliCommands.Names);
    }
}
