using System.Diagnostics;
using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Engines.V8;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;
using Microsoft.Extensions.Logging;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>
/// Process isolation under faults: whatever happens to a worker, the script ends with a typed error, its calls are
/// kept, the host lives on and the next script runs on a fresh worker.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessIsolationTests(ProcessIsolationFixture fixture) : IClassFixture<ProcessIsolationFixture>
{
    private ProcessScriptEngineFactory Engine => fixture.Engine;

    [Fact]
    public void Worker_IsFoundNextToTheHostAssembly_WithoutManualSteps()
    {
        var path = WorkerLocator.Locate(null);
        Assert.True(File.Exists(path));
        Assert.Equal(WorkerLocator.FolderName, Path.GetFileName(Path.GetDirectoryName(path)));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "ScriptHarness.Engines.Worker.runtimeconfig.json")));
    }

    [Fact]
    public async Task Run_TrivialScriptWithToolCall_RunsInAWorkerNotInTheHost()
    {
        var outcome = await RunOneAsync("const r = await tools.t.echo({n: 41}); console.log('in worker'); return r.n + 1;");
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());
        Assert.Equal(42, outcome.Value!.GetValue<int>());
        Assert.Equal("in worker", Assert.Single(outcome.Logs).Message);
        Assert.Equal(ToolCallStatus.Succeeded, Assert.Single(outcome.Calls).Status);
        Assert.True(Engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated));
    }

    [Fact]
    public async Task Run_ThrowingScript_KeepsItsTypedErrorAndPosition()
    {
        var outcome = await RunOneAsync("const a = 1;\nnull.x;");
        Assert.Equal(ScriptErrorCode.RuntimeError, outcome.Error!.Code);
        Assert.Equal(2, outcome.Error.Line);
    }

    [Fact]
    public async Task KillNine_MidScript_EndsWithEngineCrashed_KeepsPartialResults_NextScriptRuns()
    {
        var kill = new ToolDefinition("t.kill", "kills the worker running the script", new JsonObject { ["type"] = "object" }, (_, _, _) =>
        {
            foreach (var pid in Engine.Pool.BusyProcessIds())
            {
                using var worker = System.Diagnostics.Process.GetProcessById(pid);
                worker.Kill();
            }

            return ValueTask.FromResult<JsonNode?>(null);
        });
        using var harness = Harness(new ScriptHarnessOptions { Engine = "v8" }, TestTools.Echo(), kill);

        var outcome = await RunOneAsync(harness, "const a = await tools.t.echo({kept: true});\nawait tools.t.kill({});\nwhile (true) {}");

        Assert.Equal(ScriptErrorCode.EngineCrashed, outcome.Error!.Code);
        Assert.True(outcome.Error.Retryable);
        Assert.Contains("137", outcome.Error.Message, StringComparison.Ordinal);
        var kept = Assert.Single(outcome.PartialResults, c => c.Tool == "t.echo");
        Assert.True(kept.Result!["kept"]!.GetValue<bool>());
        Assert.Equal(2, outcome.Calls.Count);

        var next = await RunOneAsync(harness, "return 'fresh';");
        Assert.Equal("fresh", next.Value!.GetValue<string>());
    }

    [Fact]
    public async Task FrozenWorker_ThatAnswersNothing_IsKilledAtTimeoutPlusGrace()
    {
        var freeze = new ToolDefinition("t.freeze", "stops the worker running the script (SIGSTOP)", new JsonObject { ["type"] = "object" }, async (_, _, _) =>
        {
            foreach (var pid in Engine.Pool.BusyProcessIds())
            {
                using var stop = System.Diagnostics.Process.Start("kill", ["-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await stop.WaitForExitAsync();
            }

            return null;
        });
        using var harness = Harness(new ScriptHarnessOptions { Engine = "v8", Limits = new ScriptLimits { Timeout = TimeSpan.FromSeconds(1) } }, freeze);

        var outcome = await RunOneAsync(harness, "await tools.t.freeze({});\nreturn 'never';");

        Assert.Equal(ScriptErrorCode.EngineCrashed, outcome.Error!.Code);
        Assert.Contains("killed at the time limit", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Equal("ok", (await RunOneAsync(harness, "return 'ok';")).Value!.GetValue<string>());
    }

    [Fact]
    public async Task ApprovalWait_LongerThanTheTimeout_ExtendsTheWorkersDeadline_NotKilled()
    {
        // A person taking 2.5 s to approve must not time out a script limited to 1 s of its own work, in the worker
        // (its engine's deadline) or in the host (the kill at timeout + grace): approval wait frames carry the pause.
        var slowPerson = new SlowApprovals(TimeSpan.FromMilliseconds(2500));
        using var harness = new HarnessPipeline(
            new ScriptHarnessOptions { Engine = "v8", Limits = new ScriptLimits { Timeout = TimeSpan.FromSeconds(1) } },
            Engine, new ToolRegistry([TestTools.Approve()]), slowPerson);

        var outcome = await RunOneAsync(harness, "const r = await tools.t.guarded({}); return r.done;");

        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());
        Assert.True(outcome.Value!.GetValue<bool>());
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWorker_GetsOnlyTheEnvironmentThePoolPasses(bool passAll)
    {
        // Before: every worker had the host's whole environment, API keys and all, for whatever escaped an engine to read.
        Skip.IfNot(OperatingSystem.IsLinux(), "reads the worker's environment from /proc");
        const string Secret = "SCRIPTHARNESS_TEST_API_KEY";
        Environment.SetEnvironmentVariable(Secret, "sk-do-not-leak");
        try
        {
            var options = new ProcessIsolationOptions { MinWorkers = 0, MaxWorkers = 1 };
            await using var engine = new ProcessScriptEngineFactory(new JintEngineFactory(), passAll ? options with { PassEnvironment = ["*"] } : options);
            var sandbox = await engine.CreateAsync();
            await using var _ = sandbox;
            var ran = await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(30)), new SilentBridge(), CancellationToken.None);
            Assert.True(ran.IsSuccess, ran.Error?.ToString());

            var environment = (await File.ReadAllTextAsync($"/proc/{Assert.Single(engine.Pool.IdleProcessIds())}/environ")).Split('\0');

            Assert.Equal(passAll, environment.Contains(Secret + "=sk-do-not-leak"));
            Assert.Contains("DOTNET_gcServer=0", environment); // what the pool sets itself
            if (Environment.GetEnvironmentVariable("PATH") is { } path)
            {
                Assert.Contains("PATH=" + path, environment);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(Secret, null);
        }
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("PATHS", false)]
    [InlineData("LC_ALL", true)]
    [InlineData("LC", false)]
    [InlineData("DOTNET_ROOT_X64", true)]
    [InlineData("OPENAI_API_KEY", false)]
    public void PassEnvironment_MatchesNamesAndTrailingStarPrefixes(string name, bool passes) =>
        Assert.Equal(passes, WorkerProcess.Passes(name, ProcessIsolationOptions.DefaultPassEnvironment));

    [Theory]
    [InlineData("", false)]
    [InlineData("A=B", false)]
    [InlineData("*A", false)]
    [InlineData("A*B", false)]
    [InlineData("A*", true)]
    [InlineData("*", true)]
    public void PassEnvironment_ListsNamesWithAtMostATrailingStar(string pattern, bool valid) =>
        Assert.Equal(valid, new ProcessIsolationOptions { PassEnvironment = [pattern] }.Validate().Count == 0);

    [Fact]
    public async Task HostCancel_ReachesTheWorker_WhichAnswersAndStaysInThePool()
    {
        // Its own pool, with a kill grace far past any load: the fixture's 1 s grace was once outrun on a loaded CI
        // machine, which killed the worker for not answering and made this test read a slow answer as none.
        await using var engine = new ProcessScriptEngineFactory(new V8EngineFactory(), new ProcessIsolationOptions
        {
            MinWorkers = 0,
            MaxWorkers = 1,
            KillGrace = TimeSpan.FromSeconds(20),
        });
        var sandbox = await engine.CreateAsync();
        await using var _ = sandbox;
        var warm = await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(30)), new SilentBridge(), CancellationToken.None);
        Assert.True(warm.IsSuccess, warm.Error?.ToString());
        var worker = Assert.Single(engine.Pool.IdleProcessIds());
        var started = engine.Pool.Started;
        using var cancel = new CancellationTokenSource();

        var run = sandbox.RunAsync(Prepared("while (true) {}", TimeSpan.FromSeconds(60)), new SilentBridge(), cancel.Token).AsTask();
        while (engine.Pool.BusyProcessIds().Count == 0 && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        Assert.Equal(worker, Assert.Single(engine.Pool.BusyProcessIds()));
        cancel.Cancel();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Error?.Code == ScriptErrorCode.Cancelled, result.Error?.ToString());
        // The worker answered the cancellation itself: it was not killed, and it is back in the pool for the next script.
        Assert.Equal([worker], engine.Pool.IdleProcessIds());
        Assert.Equal(started, engine.Pool.Started);
    }

    [Theory]
    [InlineData("v8")]
    [InlineData("jint")]
    public async Task HostCancel_WhileTheScriptWaitsForAToolThatNeverAnswers_IsReadByTheWaitingEngine(string hosted)
    {
        // While a script waits for its calls, the engine's own thread reads the host's frames (the worker loop's thread
        // only looks while the script computes): the cancellation must reach the script from there too, on either engine.
        IScriptEngineFactory inner = hosted == "v8" ? new V8EngineFactory() : new JintEngineFactory();
        await using var engine = new ProcessScriptEngineFactory(inner, new ProcessIsolationOptions
        {
            MinWorkers = 0,
            MaxWorkers = 1,
            KillGrace = TimeSpan.FromSeconds(20),
        });
        var sandbox = await engine.CreateAsync();
        await using var _ = sandbox;
        var tool = new HangingBridge();
        using var cancel = new CancellationTokenSource();

        var run = sandbox.RunAsync(Prepared("await tools.t.hang({}); return 'answered';", TimeSpan.FromSeconds(60)), tool, cancel.Token).AsTask();
        await tool.Called.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(100); // the engine is past its poll, waiting in the kernel
        cancel.Cancel();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Error?.Code == ScriptErrorCode.Cancelled, result.Error?.ToString());
        Assert.Single(engine.Pool.IdleProcessIds()); // answered by the worker, not killed
        Assert.Equal(1, engine.Pool.Started);
    }

    [Fact]
    public async Task FatalV8OutOfMemory_InAWorker_HostSurvivesAndTheNextScriptRuns()
    {
        var host = Environment.ProcessId;
        var outcome = await RunOneAsync("const a = new Array(2**28).fill(1.5); return a.length;");

        Assert.Equal(host, Environment.ProcessId);
        Assert.Contains(outcome.Error!.Code, new[] { ScriptErrorCode.EngineCrashed, ScriptErrorCode.MemoryLimit });
        Assert.Equal(2, (await RunOneAsync("return 1 + 1;")).Value!.GetValue<int>());
    }

    [Theory]
    [InlineData("\\x00\\x00\\x00\\x05\\xc1\\xc1\\xc1\\xc1\\xc1")]
    [InlineData("\\x7f\\xff\\xff\\xff")]
    [InlineData("\\x00\\x00\\x00\\x02\\x91\\x08")]
    public async Task GarbageFrames_FromAWorker_KillItAndEndTheScriptWithEngineCrashed(string garbage)
    {
        // A stand-in worker: a valid Ready frame, then garbage once it is sent a script.
        var script = Path.Combine(Path.GetTempPath(), $"scriptharness-fake-worker-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/bash\nprintf '\\x00\\x00\\x00\\x08\\x93\\x00\\x01\\xa4jint'\nhead -c 4 >/dev/null\nprintf '" + garbage + "'\nsleep 30\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await using var fake = new ProcessScriptEngineFactory(new JintEngineFactory(), new ProcessIsolationOptions { MinWorkers = 0, WorkerPath = script });
            var sandbox = await fake.CreateAsync();
            var result = await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(10)), new SilentBridge(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(ScriptErrorCode.EngineCrashed, result.Error!.Code);
            Assert.Contains("malformed frame", result.Error.Message, StringComparison.Ordinal);
            Assert.Empty(fake.Pool.IdleProcessIds());
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task AWorkersOutcome_IsHeldToTheLimits_ByTheHost_NotTakenOnTheWorkersWord()
    {
        // Whatever runs in the worker may have broken its engine: a value over the return limit, and a message and a
        // stack far over what engines write, in well-formed frames.
        var large = await FakeWorkerOutcomeAsync(new OutcomeFrame("\"" + new string('x', 200_000) + "\"", null, null, null, null, null, TimeSpan.FromMilliseconds(1), false));
        var loud = await FakeWorkerOutcomeAsync(new OutcomeFrame(null, "runtime_error", new string('m', 1_000_000), 1, 1, new string('s', 1_000_000), TimeSpan.FromMilliseconds(1), false));

        Assert.Equal(ScriptErrorCode.ReturnValueTooLarge, large.Error!.Code);
        Assert.Contains("the limit is 128 KB", large.Error.Message, StringComparison.Ordinal);
        Assert.True(large.Value!.GetValue<string>().Length < 2_000, "the preview is short");
        Assert.Equal(ScriptErrorCode.RuntimeError, loud.Error!.Code);
        Assert.Equal(ScriptHarness.Engines.EngineErrors.MaxMessageLength + 1, loud.Error.Message.Length);
        Assert.Equal(ScriptHarness.Engines.EngineErrors.MaxMessageLength + 1, loud.Error.Stack!.Length);
    }

    private static async Task<EngineResult> FakeWorkerOutcomeAsync(OutcomeFrame outcome)
    {
        // A stand-in worker: a valid Ready frame, then, once it is sent a script, the outcome given.
        var id = Guid.NewGuid().ToString("N");
        var frame = Path.Combine(Path.GetTempPath(), $"scriptharness-fake-outcome-{id}.bin");
        var script = Path.Combine(Path.GetTempPath(), $"scriptharness-fake-worker-{id}.sh");
        await File.WriteAllBytesAsync(frame, FrameCodec.Encode(outcome));
        await File.WriteAllTextAsync(script, "#!/bin/bash\nprintf '\\x00\\x00\\x00\\x08\\x93\\x00\\x01\\xa4jint'\nhead -c 4 >/dev/null\ncat '" + frame + "'\nsleep 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await using var fake = new ProcessScriptEngineFactory(new JintEngineFactory(), new ProcessIsolationOptions { MinWorkers = 0, WorkerPath = script });
            var sandbox = await fake.CreateAsync();
            return await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(10)), new SilentBridge(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(script);
            File.Delete(frame);
        }
    }

    [Fact]
    public async Task AScript_GoesToTheWorkerIdleLongest_NotToTheOneJustGivenBack()
    {
        // The one just given back is still preparing its next fresh context: a script given to it would wait for that.
        await using var pool = new ProcessScriptEngineFactory(new JintEngineFactory(), new ProcessIsolationOptions { MinWorkers = 2 });
        for (var wait = 0; wait < 3_000 && pool.Pool.IdleProcessIds().Count < 2; wait++) // a minute: a hang detector, not a timing
        {
            await Task.Delay(20);
        }

        var before = pool.Pool.IdleProcessIds();
        Assert.Equal(2, before.Count);
        for (var i = 0; i < 2; i++)
        {
            var sandbox = await pool.CreateAsync();
            var result = await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(10)), new SilentBridge(), CancellationToken.None);
            Assert.True(result.IsSuccess, result.Error?.ToString());

            // The longest idle ran the script and went to the back: the workers take turns.
            Assert.Equal(i == 0 ? [before[1], before[0]] : before, pool.Pool.IdleProcessIds());
        }
    }

    [Fact]
    public async Task AWorker_IsReplacedAfterMaxScriptsPerWorker_AndNotBefore()
    {
        await using var pool = new ProcessScriptEngineFactory(new JintEngineFactory(), new ProcessIsolationOptions
        {
            MinWorkers = 0,
            MaxWorkers = 1,
            MaxScriptsPerWorker = 2,
        });
        var workers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var sandbox = await pool.CreateAsync();
            await using var _ = sandbox;
            var result = await sandbox.RunAsync(Prepared("return 1;", TimeSpan.FromSeconds(10)), new SilentBridge(), CancellationToken.None);
            Assert.True(result.IsSuccess, result.Error?.ToString());
            workers.Add(Assert.Single(pool.Pool.IdleProcessIds().Concat(pool.Pool.BusyProcessIds()).DefaultIfEmpty(-1)));
        }

        // The first worker was kept after one script and left after its second (none is kept idle: MinWorkers 0), and
        // the third script had a new one.
        Assert.NotEqual(-1, workers[0]);
        Assert.Equal(-1, workers[1]);
        Assert.NotEqual(-1, workers[2]);
        Assert.NotEqual(workers[0], workers[2]);
        Assert.Equal(2, pool.Pool.Started);
    }

    private async Task<ScriptOutcome> RunOneAsync(string source)
    {
        using var harness = Harness(new ScriptHarnessOptions { Engine = "v8" }, TestTools.Echo());
        return await RunOneAsync(harness, source);
    }

    private static async Task<ScriptOutcome> RunOneAsync(HarnessPipeline harness, string source)
    {
        var items = new List<ResponseItem>();
        await foreach (var item in harness.RunAsync("<tool-calls>" + source + "</tool-calls>"))
        {
            items.Add(item);
        }

        return Assert.IsType<ScriptResultItem>(Assert.Single(items)).Outcome;
    }

    private HarnessPipeline Harness(ScriptHarnessOptions options, params ToolDefinition[] tools) =>
        new(options, Engine, new ToolRegistry(tools), FixedApprovalService.ApproveAll);

    private static PreparedScript Prepared(string source, TimeSpan timeout) =>
        new(new ParsedScript(source, ScriptHash.OfText(source, System.Text.Encoding.UTF8.GetByteCount(source))) { SizeBytes = source.Length },
            new ScriptContext { ConversationId = "c", SessionId = "s", TurnId = "t", ScriptId = "t/s1", Limits = new ScriptLimits { Timeout = timeout } });

    private sealed class SlowApprovals(TimeSpan delay) : IApprovalService
    {
        public async ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return ApprovalDecision.Approve;
        }
    }

    /// <summary>A bridge whose one tool answers only its cancellation.</summary>
    private sealed class HangingBridge : IToolBridge
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> ToolNames => ["t.hang"];

        public TimeSpan PausedTime => TimeSpan.Zero;

        public async ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            return ToolResult.Failure(ScriptErrorCode.Cancelled, "cancelled");
        }

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }

    /// <summary>A bridge with no tools that drops logs and progress.</summary>
    private sealed class SilentBridge : IToolBridge
    {
        public IReadOnlyCollection<string> ToolNames => [];

        public TimeSpan PausedTime => TimeSpan.Zero;

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.Failure(ScriptErrorCode.ToolNotFound, "no tools"));

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
