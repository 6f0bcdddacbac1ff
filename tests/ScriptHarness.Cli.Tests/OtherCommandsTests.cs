namespace ScriptHarness.Cli.Tests;

public sealed class OtherCommandsTests
{
    [Fact]
    public async Task Engines_ListsJintWithItsLimits()
    {
        var result = await CliProcess.RunAsync(["engines"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("jint", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("MemoryLimit", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engines_ListsV8WithItsLimits()
    {
        var result = await CliProcess.RunAsync(["engines"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Stdout.Split('\n'), l => l.StartsWith("v8 ", StringComparison.Ordinal) && l.Contains("MemoryLimit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engines_ShowsEachEnginesIsolation()
    {
        var result = await CliProcess.RunAsync(["engines"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("v8 ", StringComparison.Ordinal) && l.Contains("isolation: process (default", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("jint ", StringComparison.Ordinal) && l.Contains("isolation: in-process (default)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tools_TypeScript_DeclaresTheFilesApi()
    {
        var result = await CliProcess.RunAsync(["tools", "--toolset", "files,test", "--typescript", "--workspace", Path.Combine(CliProcess.Samples, "workspace")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("declare const tools", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("read(", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("echo(", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_List_MarksApprovalTools()
    {
        var result = await CliProcess.RunAsync(["tools"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("files.write", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[approval]", result.Stdout, StringComparison.Ordinal);
    }
}
