using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Pipeline;

public sealed class HarnessPipelineTests
{
    private static readonly JintEngineFactory Engine = new();

    private static HarnessPipeline CreateSut(ScriptHarnessOptions? options = null, ToolRegistry? tools = null) =>
        new(options ?? new ScriptHarnessOptions(), Engine, tools ?? TestTools.Registry(), FixedApprovalService.ApproveAll);

    private static async Task<List<ResponseItem>> Collect(IAsyncEnumerable<ResponseItem> items)
    {
        var list = new List<ResponseItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static ScriptOutcome Result(ResponseItem item) => Assert.IsType<ScriptResultItem>(item).Outcome;

    [Fact]
    public async Task Run_TextAndBlocks_ItemsInReplyOrder()
    {
        using var sut = CreateSut();
        var items = await Collect(sut.RunAsync("Hello\n<tool-calls>return 1;</tool-calls>\nmiddle\n<tool-calls>return 2;</tool-calls>bye"));
        Assert.Collection(items,
            i => Assert.Equal("Hello\n", Assert.IsType<TextItem>(i).Text),
            i => Assert.Equal(1, Result(i).Value!.GetValue<int>()),
            i => Assert.Equal("\nmiddle\n", Assert.IsType<TextItem>(i).Text),
            i => Assert.Equal(2, Result(i).Value!.GetValue<int>()),
            i => Assert.Equal("bye", Assert.IsType<TextItem>(i).Text));
        Assert.Equal([0, 1, 2, 3, 4], items.Select(i => i.Index));
    }

    [Fact]
    public async Task Run_ParallelScripts_SlowFirstStillEmittedFirst()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { MaxParallelScripts = 4 });
        var reply = "<tool-calls>await tools.t.delay({ms: 300}); return 'slow';</tool-calls>"
            + "<tool-calls>return 'fast';</tool-calls><tool-calls>return 'fast2';</tool-calls>";
        var items = await Collect(sut.RunAsync(reply));
        Assert.Equal(["slow", "fast", "fast2"], items.Select(i => Result(i).Value!.GetValue<string>()));
    }

    [Fact]
    public async Task Run_ParallelScripts_RunAtTheSameTime()
    {
        // Each script's tool call waits until all four scripts are inside it: only parallel runs can finish. The wait
        // blocks no thread (blocked pool threads starve a 2-core machine) and ends before the 10 s tool timeout.
        var arrived = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rendezvous = new ToolDefinition("t.meet", "waits for the others", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            if (Interlocked.Increment(ref arrived) == 4)
            {
                allIn.TrySetResult();
            }

            try
            {
                await allIn.Task.WaitAsync(TimeSpan.FromSeconds(8), ct);
                return JsonValue.Create(true);
            }
            catch (TimeoutException)
            {
                return JsonValue.Create(false);
            }
        });
        using var sut = CreateSut(new ScriptHarnessOptions { MaxParallelScripts = 4 }, new ToolRegistry([rendezvous]));
        var block = "<tool-calls>return await tools.t.meet({});</tool-calls>";
        var items = await Collect(sut.RunAsync(block + block + block + block));
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.True(Result(i).Value!.GetValue<bool>()));
    }

    [Fact]
    public async Task Run_RejectedAndFailingBlocks_AreResultsNotExceptions()
    {
        using var sut = CreateSut();
        var reply = "<tool-calls>return (</tool-calls><tool-calls>eval('1')</tool-calls><tool-calls>throw new Error('x')</tool-calls><tool-calls>return 1";
        var items = await Collect(sut.RunAsync(reply));
        Assert.Equal(
            [ScriptErrorCode.SyntaxError, ScriptErrorCode.BannedIdentifier, ScriptErrorCode.RuntimeError, ScriptErrorCode.UnclosedBlock],
            items.Select(i => Result(i).Error!.Code));
    }

    [Fact]
    public async Task Run_ScriptTooLarge_IsRejectedBeforeRunning()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { Limits = new ScriptLimits { MaxScriptBytes = 64 } });
        var items = await Collect(sut.RunAsync($"<tool-calls>return '{new string('x', 100)}';</tool-calls>"));
        Assert.Equal(ScriptErrorCode.ScriptTooLarge, Result(Assert.Single(items)).Error!.Code);
    }

    [Fact]
    public async Task Run_InvalidUtf8InsideBlock_OnlyThatBlockFails()
    {
        using var sut = CreateSut();
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("<tool-calls>return 'a\u00e9';</tool-calls><tool-calls>return '"));
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange(Encoding.UTF8.GetBytes("';</tool-calls>"));
        var items = await Collect(sut.RunAsync(bytes.ToArray().AsMemory()));
        Assert.Equal("a\u00e9", Result(items[0]).Value!.GetValue<string>());
        Assert.Equal(ScriptErrorCode.InvalidUtf8, Result(items[1]).Error!.Code);
    }

    [Fact]
    public async Task Run_DisabledMode_BlocksAreSkipped()
    {
        using var sut = CreateSut();
        var items = await Collect(sut.RunAsync("<tool-calls>return 1;</tool-calls>", new RunOptions { Mode = ToolMode.Disabled }));
        Assert.Equal(ScriptStatus.Skipped, Result(Assert.Single(items)).Status);
    }

    [Fact]
    public async Task Run_DryRunMode_HandlersAreNotCalled()
    {
        var called = 0;
        var tool = new ToolDefinition("x.count", "counts", new JsonObject { ["type"] = "object" }, (_, _, _) =>
        {
            Interlocked.Increment(ref called);
            return ValueTask.FromResult<JsonNode?>(null);
        });
        using var sut = CreateSut(tools: new ToolRegistry([tool]));
        var items = await Collect(sut.RunAsync("<tool-calls>return await tools.x.count({});</tool-calls>", new RunOptions { Mode = ToolMode.DryRun }));
        var outcome = Result(Assert.Single(items));
        Assert.True(outcome.Value!["dryRun"]!.GetValue<bool>());
        Assert.Equal(0, called);
        Assert.Equal(1, outcome.ToolCalls);
    }

    [Fact]
    public async Task Run_OutcomeCarriesToolCallsLogsAndHash()
    {
        using var sut = CreateSut();
        var items = await Collect(sut.RunAsync("<tool-calls>console.log('hi'); await tools.t.echo({}); await tools.t.echo({}); return 1;</tool-calls>"));
        var outcome = Result(Assert.Single(items));
        Assert.Equal(2, outcome.ToolCalls);
        Assert.Equal("hi", Assert.Single(outcome.Logs).Message);
        Assert.Matches("^[0-9a-f]{64}$", outcome.Sha256!);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task RunStreaming_FirstScriptRunsWhileReplyIsStillStreaming()
    {
        using var sut = CreateSut();
        var channel = Channel.CreateUnbounded<string>();
        await using var results = sut.RunStreamingAsync(channel.Reader).GetAsyncEnumerator();
        await channel.Writer.WriteAsync("Intro <tool-");
        await channel.Writer.WriteAsync("calls>return 41 + 1;</tool");
        await channel.Writer.WriteAsync("-calls> and the model goes on writing");

        Assert.True(await results.MoveNextAsync());
        Assert.Equal("Intro ", Assert.IsType<TextItem>(results.Current).Text);
        Assert.True(await results.MoveNextAsync());
        Assert.Equal(42, Result(results.Current).Value!.GetValue<int>());

        channel.Writer.Complete();
        Assert.True(await results.MoveNextAsync());
        Assert.Equal(" and the model goes on writing", Assert.IsType<TextItem>(results.Current).Text);
        Assert.False(await results.MoveNextAsync());
    }

    [Fact]
    public async Task Run_HostCancellation_StopsRunningScriptAndThrows()
    {
        using var sut = CreateSut();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Collect(sut.RunAsync("<tool-calls>while (true) {}</tool-calls>", cancellationToken: cts.Token)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"cancellation was slow: {started.Elapsed}");
    }

    [Fact]
    public async Task RunStreaming_FailingSource_SurfacesTheFailure()
    {
        using var sut = CreateSut();
        await Assert.ThrowsAsync<IOException>(() => Collect(sut.RunStreamingAsync(Failing())));

        static async IAsyncEnumerable<string> Failing()
        {
            yield return "<tool-calls>return 1;</tool-calls>";
            await Task.Yield();
            throw new IOException("the model stream broke");
        }
    }

    [Fact]
    public void Create_InvalidOptions_ReportsEveryProblem()
    {
        var options = new ScriptHarnessOptions { MaxParallelScripts = 0, Limits = new ScriptLimits { Timeout = TimeSpan.Zero, MaxToolCalls = -1 } };
        var ex = Assert.Throws<ConfigurationException>(() => CreateSut(options));
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public void Create_EngineNameMismatch_IsConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CreateSut(new ScriptHarnessOptions { Engine = "v8" }));
        Assert.Contains("v8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ScriptEndedByTimeout_StillCarriesItsSha256()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { Limits = new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200) } });
        var outcome = Result(Assert.Single(await Collect(sut.RunAsync("<tool-calls>while (true) {}</tool-calls>"))));
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error!.Code);
        Assert.Matches("^[0-9a-f]{64}$", outcome.Sha256!);
    }

    [Fact]
    public async Task Run_EngineThatFails_ResultStillCarriesItsSha256()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), new FailingEngine(Engine), TestTools.Registry(), FixedApprovalService.ApproveAll);
        var outcome = Result(Assert.Single(await Collect(sut.RunAsync("<tool-calls>return 1;</tool-calls>"))));
        Assert.Equal(ScriptErrorCode.HarnessInternal, outcome.Error!.Code);
        Assert.Matches("^[0-9a-f]{64}$", outcome.Sha256!);
    }

    [Fact]
    public void ConfigurationException_IsNotRetryable()
    {
        var ex = new ConfigurationException(["MaxParallelScripts must be positive"]);
        Assert.False(ex.Retryable);
    }

    [Fact]
    public async Task Run_BlocksPastMaxBlocksPerReply_EachGetReplyLimitExceeded()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { MaxBlocksPerReply = 2 });
        var reply = string.Concat(Enumerable.Range(0, 5).Select(i => $"<tool-calls>return {i};</tool-calls>"));
        var outcomes = (await Collect(sut.RunAsync(reply))).Select(Result).ToList();
        Assert.Equal(5, outcomes.Count);
        Assert.Equal([0, 1], outcomes.Take(2).Select(o => o.Value!.GetValue<int>()));
        Assert.All(outcomes.Skip(2), o => Assert.Equal(ScriptErrorCode.ReplyLimitExceeded, o.Error!.Code));
        Assert.Equal([2, 3, 4], outcomes.Skip(2).Select(o => o.Index));
    }

    [Fact]
    public void Create_MaxBlocksPerReplyOutOfRange_IsConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CreateSut(new ScriptHarnessOptions { MaxBlocksPerReply = 0 }));
        Assert.Contains("MaxBlocksPerReply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ToolCallsPastMaxToolCallsPerReply_FailWithToolBudgetExceeded()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { MaxToolCallsPerReply = 3, MaxParallelScripts = 1 });
        const string Block = "<tool-calls>let ok = 0, code = null; for (let i = 0; i < 2; i++) { try { await tools.t.echo({}); ok++; } catch (e) { code = e.code; } } return { ok, code };</tool-calls>";
        var outcomes = (await Collect(sut.RunAsync(Block + Block + Block))).Select(Result).ToList();
        Assert.Equal([2, 1, 0], outcomes.Select(o => o.Value!["ok"]!.GetValue<int>()));
        Assert.Equal("tool_budget_exceeded", outcomes[2].Value!["code"]!.GetValue<string>());
        Assert.Equal([2, 1, 0], outcomes.Select(o => o.ToolCalls));
    }

    [Fact]
    public void Create_MaxToolCallsPerReplyOutOfRange_IsConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CreateSut(new ScriptHarnessOptions { MaxToolCallsPerReply = 0 }));
        Assert.Contains("MaxToolCallsPerReply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ReplyPastMaxReplyTime_RunningAndLaterBlocksGetReplyLimitExceeded()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { MaxReplyTime = TimeSpan.FromMilliseconds(300), MaxParallelScripts = 1 });
        var outcomes = (await Collect(sut.RunAsync("<tool-calls>return 1;</tool-calls><tool-calls>while (true) {}</tool-calls><tool-calls>return 3;</tool-calls>"))).Select(Result).ToList();
        Assert.Equal(1, outcomes[0].Value!.GetValue<int>());
        Assert.All(outcomes.Skip(1), o => Assert.Equal(ScriptErrorCode.ReplyLimitExceeded, o.Error!.Code));
        Assert.All(outcomes, o => Assert.Matches("^[0-9a-f]{64}$", o.Sha256!));
    }

    [Fact]
    public void Create_MaxReplyTimeNotPositive_IsConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CreateSut(new ScriptHarnessOptions { MaxReplyTime = TimeSpan.Zero }));
        Assert.Contains("MaxReplyTime", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FailingEngine(IScriptEngineFactory inner) : DelegatingScriptEngineFactory(inner)
    {
        public override ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the engine broke");
    }
}
