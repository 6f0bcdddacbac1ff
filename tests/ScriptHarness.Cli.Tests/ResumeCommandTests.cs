using System.Text.Json.Nodes;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// <c>run --approve durable</c> then <c>resume TOKEN</c> in another process, through a real Redis (the in-memory store
/// ends with the process that suspended, so this case needs one; skipped with the reason when there is none).
/// </summary>
public sealed class ResumeCommandTests
{
    [SkippableFact]
    public async Task RunDurable_ThenResumeInAnotherProcess_WritesTheFileOnce_AndTheTokenCannotBeUsedTwice()
    {
        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        var state = "redis://" + TestRedis.Address;
        var workspace = Directory.CreateTempSubdirectory("scriptharness-durable-");
        try
        {
            CopyDirectory(Path.Combine(CliProcess.Samples, "workspace"), workspace.FullName);
            var run = await CliProcess.RunAsync(["run", Path.Combine(CliProcess.Samples, "reply-approval-durable.md"), "--workspace", workspace.FullName,
                "--approve", "durable", "--state", state, "--format", "jsonl"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var suspended = run.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)
                .Single(n => (string?)n["type"] == "script_result");
            Assert.Equal("suspended", (string?)suspended["status"]);
            Assert.Equal("files.write", (string?)suspended["suspension"]!["tool"]);
            Assert.False(File.Exists(Path.Combine(workspace.FullName, "notes", "durable.md")));
            var token = (string)suspended["suspension"]!["token"]!;

            var resumed = await CliProcess.RunAsync(["resume", token, "--approve", "--workspace", workspace.FullName, "--state", state, "--format", "jsonl"]);
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            var result = JsonNode.Parse(resumed.Stdout.Trim())!;
            Assert.Equal("ok", (string?)result["status"]);
            var stamp = (string)result["value"]!["stamp"]!;
            Assert.Contains(stamp, await File.ReadAllTextAsync(Path.Combine(workspace.FullName, "notes", "durable.md")), StringComparison.Ordinal);
            Assert.Contains(stamp, (string)suspended["suspension"]!["arguments"]!["content"]!, StringComparison.Ordinal); // the clock replayed

            var again = await CliProcess.RunAsync(["resume", token, "--deny", "--state", state, "--format", "jsonl"]);
            Assert.Equal("resume_token_unknown", (string?)JsonNode.Parse(again.Stdout.Trim())!["error"]!["code"]);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--approve", "--deny")]
    [InlineData("--state", "memory")]
    public async Task Resume_WithBothDecisionsOrAMemoryStore_IsAUsageError(string option, string value)
    {
        string[] args = option == "--state" ? ["resume", "abc", "--approve", option, value] : ["resume", "abc", option, value];
        var result = await CliProcess.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
