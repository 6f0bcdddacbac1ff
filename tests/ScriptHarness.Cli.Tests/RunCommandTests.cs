using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Cli.Tests;

public sealed class RunCommandTests
{
    private static string Sample(string name) => Path.Combine(CliProcess.Samples, name);

    private static string Workspace => Path.Combine(CliProcess.Samples, "workspace");

    private static List<JsonObject> JsonLines(CliResult result) =>
        [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];

    [Fact]
    public async Task Run_BasicSample_Jsonl_TextAndOkResultInOrder()
    {
        var result = await CliProcess.RunAsync(["run", Sample("reply-basic.md"), "--format", "jsonl", "--workspace", Workspace]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonLines(result);
        Assert.Equal(["text", "script_result", "text"], lines.Select(l => l["type"]!.GetValue<string>()));
        Assert.Equal([0, 1, 2], lines.Select(l => l["index"]!.GetValue<int>()));
        var script = lines[1];
        Assert.True(script["status"]!.GetValue<string>() == "ok", result.ToString());
        Assert.NotNull(script["value"]);
        Assert.True(script["toolCalls"]!.GetValue<int>() >= 1);
        var calls = script["calls"]!.AsArray();
        Assert.Equal(script["toolCalls"]!.GetValue<int>(), calls.Count);
        Assert.All(calls, c => Assert.Equal("ok", c!["status"]!.GetValue<string>()));
        Assert.False(script.ContainsKey("partialResults"));
        Assert.True(script.ContainsKey("durationMs"));
        Assert.True(script.ContainsKey("logs"));
        Assert.Null(script["error"]);
    }

    [Fact]
    public async Task Run_BasicSampleOnV8_SameItemsAsJint()
    {
        var result = await CliProcess.RunAsync(["run", Sample("reply-basic.md"), "--format", "jsonl", "--workspace", Workspace, "--engine", "v8"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonLines(result);
        Assert.Equal(["text", "script_result", "text"], lines.Select(l => l["type"]!.GetValue<string>()));
        Assert.True(lines[1]["status"]!.GetValue<string>() == "ok", result.ToString());
        Assert.Equal("tasks-cli", lines[1]["value"]!["project"]!.GetValue<string>());
    }

    // Issue 10: on main this reply aborted the CLI with SIGABRT (exit 134) and printed nothing.
    [Fact]
    public async Task Run_V8FatalOutOfMemoryScript_DefaultProcessIsolation_TypedErrorAndTheNextBlockRuns()
    {
        var reply = "<tool-calls>const a = new Array(2**28).fill(1.5); return a.length;</tool-calls>\n<tool-calls>return 'alive';</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--engine", "v8"], Encoding.UTF8.GetBytes(reply));
        Assert.True(result.ExitCode == 0, result.ToString());
        var scripts = JsonLines(result).Where(l => l["type"]!.GetValue<string>() == "script_result").ToList();
        Assert.Equal(2, scripts.Count);
        Assert.Contains(scripts[0]["error"]!["code"]!.GetValue<string>(), new[] { "engine_crashed", "memory_limit" });
        Assert.Equal("alive", scripts[1]["value"]!.GetValue<string>());
    }

    // An attack round, 2026-12-07: a value of 64 levels passed the engines and then made the writer refuse the item,
    // and the CLI ended with an internal error and none of the reply's results.
    [Theory]
    [InlineData("jsonl")]
    [InlineData("msgpack")]
    public async Task Run_ValueOneLevelDeeperThanTheWireForms_TypedErrorAndTheNextBlockRuns(string format)
    {
        var reply = "<tool-calls>let a = [];\nfor (let i = 1; i < 64; i++) a = [a];\nreturn a;</tool-calls>\n<tool-calls>return 'alive';</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-", "--format", format], Encoding.UTF8.GetBytes(reply));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        var items = new List<ResponseItem>();
        if (format == "jsonl")
        {
            items.AddRange(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ResponseItemJson.Parse));
        }
        else
        {
            await foreach (var item in ResponseItemMessagePack.ReadFramesAsync(new MemoryStream(result.StdoutBytes), CancellationToken.None))
            {
                items.Add(item);
            }
        }

        var outcomes = items.OfType<ScriptResultItem>().Select(i => i.Outcome).ToList();

        Assert.Equal(2, outcomes.Count);
        Assert.Equal((ScriptErrorCode.SerializationFailed, "alive"), (outcomes[0].Error?.Code, outcomes[1].Value?.GetValue<string>()));
    }

    [Fact]
    public async Task Run_IsolationFlag_InProcessAndProcessBothRunV8()
    {
        foreach (var isolation in new[] { "in-process", "process" })
        {
            var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--engine", "v8", "--isolation", isolation], "<tool-calls>return 6 * 7;</tool-calls>"u8.ToArray());
            Assert.True(result.ExitCode == 0, isolation + ": " + result);
            Assert.Equal(42, JsonLines(result).Single()["value"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Run_IsolationFlag_UnknownValue_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--isolation", "container"], "x"u8.ToArray());
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Run_EveryReadOnlySample_ProcessesWithExitZero()
    {
        foreach (var sample in new[] { "reply-basic.md", "reply-parallel.md", "reply-fenced.md", "reply-multi.md" })
        {
            var result = await CliProcess.RunAsync(["run", Sample(sample), "--format", "jsonl", "--workspace", Workspace]);
            Assert.True(result.ExitCode == 0, sample + ": " + result);
            Assert.Contains(JsonLines(result), l => l["type"]!.GetValue<string>() == "script_result");
        }
    }

    [Fact]
    public async Task Run_MultiSample_SecondBlockFailsWithStableCode()
    {
        var result = await CliProcess.RunAsync(["run", Sample("reply-multi.md"), "--format", "jsonl", "--workspace", Workspace]);
        var scripts = JsonLines(result).Where(l => l["type"]!.GetValue<string>() == "script_result").ToList();
        Assert.Equal(2, scripts.Count);
        Assert.Equal("ok", scripts[0]["status"]!.GetValue<string>());
        Assert.Equal("error", scripts[1]["status"]!.GetValue<string>());
        var code = scripts[1]["error"]!["code"]!.GetValue<string>();
        Assert.Contains(code, ScriptErrorCodes.All);
        Assert.Equal(code == "tool_execution_failed", scripts[1]["error"]!["retryable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_Stdin_IsReadWithDash()
    {
        var reply = Encoding.UTF8.GetBytes("Hi <tool-calls>return [1, 2].map(x => x * 2);</tool-calls>");
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl"], stdin: reply);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[2,4]", JsonLines(result)[1]["value"]!.ToJsonString());
    }

    // 800 MB of reply took the CLI to 8.9 GB; prose past what one JSON string holds ended it with an internal error and
    // no output at all. It reads what MaxReplyLength allows (at most three UTF-8 bytes a character) and says so.
    [Theory]
    [InlineData("stdin")]
    [InlineData("file")]
    public async Task Run_AReplyOverMaxReplyLength_IsReadNoFurther_AndSaysSo(string from)
    {
        var directory = Directory.CreateTempSubdirectory("scriptharness-reply-length-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.json");
            await File.WriteAllTextAsync(config, """{ "MaxReplyLength": 2048 }""");
            var start = Encoding.UTF8.GetBytes("Hi <tool-calls>return 1;</tool-calls> then ");
            CliResult result;
            if (from == "file")
            {
                var file = Path.Combine(directory.FullName, "reply.md");
                await File.WriteAllBytesAsync(file, [.. start, .. new byte[10_000_000].Select(_ => (byte)'x')]);
                result = await CliProcess.RunAsync(["run", file, "--format", "jsonl", "--config", config]);
            }
            else
            {
                result = await RunWithEndlessInputAsync(["run", "-", "--format", "jsonl", "--config", config], start);
            }

            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = JsonLines(result);
            Assert.Equal(3, lines.Count);
            Assert.Equal("Hi ", lines[0]["text"]!.GetValue<string>());
            Assert.Equal(1, lines[1]["value"]!.GetValue<int>());
            Assert.Equal("reply_limit_exceeded", lines[2]["error"]!["code"]!.GetValue<string>());
            Assert.Contains("2,048 characters (MaxReplyLength)", lines[2]["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Standard input that never ends (a stream piped from a runaway process): only a CLI that stops reading finishes.
    private static async Task<CliResult> RunWithEndlessInputAsync(string[] args, byte[] start)
    {
        using var process = System.Diagnostics.Process.Start(CliProcess.StartInfo(args))!;
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var more = new byte[64 * 1024];
        Array.Fill(more, (byte)'x');
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(start, timeout.Token);
            while (!exited.IsCompleted)
            {
                await process.StandardInput.BaseStream.WriteAsync(more, timeout.Token);
            }
        }
        catch (IOException)
        {
            // The CLI closed its end: it has read all it wanted.
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail("the CLI kept reading an endless standard input for a minute");
        }

        await exited;
        await stdout;
        return new CliResult(process.ExitCode, output.ToArray(), await stderr);
    }

    // Issue 16.5: every backtick and quote came out as \u0060 / \u0027, costing a model tokens on every line.
    [Fact]
    public async Task Run_Jsonl_WritesBackticksAndQuotesAsTheyAreInValidJson()
    {
        var reply = "Run `ls` in 'src' <tool-calls>return \"it's `x` & <y>\";</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl"], stdin: Encoding.UTF8.GetBytes(reply));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"text\":\"Run `ls` in 'src' \"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"it's `x` & <y>\"", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", result.Stdout, StringComparison.Ordinal);
        var lines = JsonLines(result);
        Assert.Equal("Run `ls` in 'src' ", lines[0]["text"]!.GetValue<string>());
        Assert.Equal("it's `x` & <y>", lines[1]["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_TextFormat_IsHumanReadable()
    {
        var result = await CliProcess.RunAsync(["run", "-"], stdin: Encoding.UTF8.GetBytes("Before <tool-calls>return { a: 1 };</tool-calls>"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Before", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"a\": 1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MessagePackFormat_FramesDecode()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--format", "msgpack"], stdin: Encoding.UTF8.GetBytes("T<tool-calls>return 7;</tool-calls>"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var items = new List<ResponseItem>();
        await foreach (var item in ResponseItemMessagePack.ReadFramesAsync(new MemoryStream(result.StdoutBytes), CancellationToken.None))
        {
            items.Add(item);
        }

        Assert.Equal("T", Assert.IsType<TextItem>(items[0]).Text);
        Assert.Equal(7, Assert.IsType<ScriptResultItem>(items[1]).Outcome.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Run_TimeoutFlag_StopsLoopWithTimeoutCode()
    {
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--timeout-ms", "300"], stdin: Encoding.UTF8.GetBytes("<tool-calls>while (true) {}</tool-calls>"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("timeout", JsonLines(result)[0]["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_EnvironmentVariable_OverridesConfiguration()
    {
        var env = new Dictionary<string, string> { ["SCRIPTHARNESS__LIMITS__MAXTOOLCALLS"] = "1" };
        var reply = "<tool-calls>await tools.test.echo({}); try { await tools.test.echo({}); } catch (e) { return e.code; }</tool-calls>";
        var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--toolset", "test"], Encoding.UTF8.GetBytes(reply), env);
        Assert.Equal("tool_budget_exceeded", JsonLines(result)[0]["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_ConfigFile_IsApplied()
    {
        var config = Path.Combine(Path.GetTempPath(), $"sh-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "Limits": { "MaxToolCalls": 0 } }""");
        try
        {
            var reply = "<tool-calls>try { await tools.test.echo({}); } catch (e) { return e.code; }</tool-calls>";
            var result = await CliProcess.RunAsync(["run", "-", "--format", "jsonl", "--toolset", "test", "--config", config], Encoding.UTF8.GetBytes(reply));
            Assert.Equal("tool_budget_exceeded", JsonLines(result)[0]["value"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Run_WriteSample_ApproveNone_IsDenied()
    {
        var result = await CliProcess.RunAsync(["run", Sample("reply-write.md"), "--format", "jsonl", "--workspace", Workspace, "--approve", "none"]);
        var script = JsonLines(result).Single(l => l["type"]!.GetValue<string>() == "script_result");
        Assert.Equal("approval_denied", script["error"]!["code"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(Workspace, "notes", "summary.md")));
    }

    [Fact]
    public async Task Run_WriteSample_ApproveAll_WritesTheFile()
    {
        var workspace = Directory.CreateTempSubdirectory("sh-ws-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Workspace, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(workspace.FullName, Path.GetRelativePath(Workspace, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var result = await CliProcess.RunAsync(["run", Sample("reply-write.md"), "--format", "jsonl", "--workspace", workspace.FullName, "--approve", "all"]);
            var script = JsonLines(result).Single(l => l["type"]!.GetValue<string>() == "script_result");
            Assert.True(script["status"]!.GetValue<string>() == "ok", result.ToString());
            Assert.True(File.Exists(Path.Combine(workspace.FullName, "notes", "summary.md")));
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("run", "/no/such/reply.md")]
    [InlineData("run", "-", "--format", "xml")]
    [InlineData("run", "-", "--engine", "nope")]
    [InlineData("run", "-", "--timeout-ms", "0")]
    [InlineData("run", "-", "--toolset", "bogus")]
    [InlineData("run", "-", "--config", "/no/such/config.json")]
    [InlineData("frobnicate")]
    public async Task Run_BadUsage_ExitsWithTwo(params string[] args)
    {
        var result = await CliProcess.RunAsync(args, stdin: Encoding.UTF8.GetBytes("x"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr));
    }

    [Fact]
    public async Task Run_InvalidConfiguredLimit_ExitsWithTwoNamingTheProblem()
    {
        var env = new Dictionary<string, string> { ["SCRIPTHARNESS__MAXPARALLELSCRIPTS"] = "0" };
        var result = await CliProcess.RunAsync(["run", "-"], Encoding.UTF8.GetBytes("x"), env);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("MaxParallelScripts", result.Stderr, StringComparison.Ordinal);
    }
}
