namespace ScriptHarness.Cli.Tests;

public sealed class StateOptionsTests
{
    private static string Workspace => Path.Combine(CliProcess.Samples, "workspace");

    [Fact]
    public async Task Run_ReplyState_SecondBlockLoadsWhatTheFirstStored()
    {
        var result = await CliProcess.RunAsync(["run", Path.Combine(CliProcess.Samples, "reply-state.md"), "--workspace", Workspace, "--format", "jsonl"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"value\":{\"open\":6,\"busiestPriority\":", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--state", "bogus")]
    [InlineData("--state", "redis://host")]
    [InlineData("--conversation", "not an id!")]
    public async Task Run_BadStateOrConversation_IsAUsageError(string option, string value)
    {
        var result = await CliProcess.RunAsync(["run", Path.Combine(CliProcess.Samples, "reply-state.md"), "--workspace", Workspace, option, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_Deferred_PrintsNamespacesAndTheDiscoveryApi()
    {
        var result = await CliProcess.RunAsync(["tools", "--toolset", "files,test", "--typescript", "--deferred", "--workspace", Workspace]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("files: { readonly [name: string]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("$search(query: string", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("read(", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_DeferredWithoutTypeScript_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(["tools", "--deferred"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--deferred needs --typescript", result.Stderr, StringComparison.Ordinal);
    }
}
