using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>
/// A tool that runs a nested reply on the same harness (a sub-agent): the nested reply must never wait for an engine
/// thread, runtime, worker or tool slot its own ancestors hold, nesting is bounded by a typed error, and everything
/// that is not a descendant stays limited as before. Pools are kept as small as they go, so that on a harness that
/// lets nested runs queue behind their ancestors every test here deadlocks (and fails at its guard).
/// </summary>
public sealed class NestedReplyTests
{
    // Generous: a nested run on a loaded 2-core machine (a worker process to start) takes seconds, and a regression
    // must fail at the guard, not hang the suite.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static readonly ScriptLimits Patient = new()
    {
        Timeout = TimeSpan.FromSeconds(50),
        ToolTimeout = TimeSpan.FromSeconds(40),
    };

    [Fact]
    public async Task Run_ToolRunsNestedReplyOnJint_NestedReplyCompletesOnTheOnlyThread()
    {
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("jint"), new JintEngineFactory(new JintEngineOptions { MaxThreads = 1 }), sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.run({ script: 'return (await tools.t.echo({ n: 41 })).n + 1;' });");

        Assert.Equal("42", Describe(outcome));
    }

    [Fact]
    public async Task Run_ToolRunsNestedReplyOnV8_NestedReplyCompletesOnTheOnlyRuntime()
    {
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("v8"), new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1 }), sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.run({ script: 'return (await tools.t.echo({ n: 41 })).n + 1;' });");

        Assert.Equal("42", Describe(outcome));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_ToolRunsNestedReplyUnderProcessIsolation_NestedReplyCompletesBesideTheOnlyWorker()
    {
        await using var engine = new ProcessScriptEngineFactory(new JintEngineFactory(), new ProcessIsolationOptions { MinWorkers = 1, MaxWorkers = 1 });
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("jint") with { Isolation = EngineIsolation.Process }, engine, sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.deep({ levels: 2 });");

        Assert.Equal("""{"depth":2}""", Describe(outcome));
    }

    [Fact]
    public async Task Run_NestedRepliesToTheDepthLimit_RunAndReportTheirDepth()
    {
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("jint") with { MaxNestingDepth = 3 },
            new JintEngineFactory(new JintEngineOptions { MaxThreads = 1 }), sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.deep({ levels: 3 });");

        Assert.Equal("""{"depth":3}""", Describe(outcome));
    }

    [Fact]
    public async Task Run_NestedReplyPastTheDepthLimit_FailsWithNestingLimitExceeded()
    {
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("jint") with { MaxNestingDepth = 2 }, new JintEngineFactory(), sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.deep({ levels: 3 });");

        // Depths 1 and 2 ran; the reply at depth 3 was refused, block by block, and each level passed that on.
        Assert.Equal("""{"code":"nesting_limit_exceeded"}""", Describe(outcome));
        var refused = sub.Refusals.Single();
        Assert.Equal(ScriptErrorCode.NestingLimitExceeded, refused.Code);
        Assert.False(refused.Retryable);
        Assert.Contains("2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoNestingAllowed_EveryNestedReplyIsRefused()
    {
        var sub = new SubAgent();
        using var harness = sub.Attach(new HarnessPipeline(Options("jint") with { MaxNestingDepth = 0 }, new JintEngineFactory(), sub.Registry()));

        var outcome = await RunOneAsync(harness, "return await tools.sub.run({ script: 'return 1;' });");

        Assert.Equal("""{"code":"nesting_limit_exceeded"}""", Describe(outcome));
    }

    [Fact]
    public async Task Run_OneSlotForToolsAndOneScriptAtATime_ThreeParallelNestedRepliesComplete()
    {
        var sub = new SubAgent();
        var options = Options("jint") with { MaxParallelScripts = 1, MaxConcurrentToolExecutions = 1 };
        using var harness = sub.Attach(new HarnessPipeline(options, new JintEngineFactory(new JintEngineOptions { MaxThreads = 1 }), sub.Registry()));

        var outcome = await RunOneAsync(harness,
            "return await Promise.all([1, 2, 3].map(n => tools.sub.run({ script: `return (await tools.t.echo({ n: ${n} })).n * 10;` })));");

        Assert.Equal("[10,20,30]", Describe(outcome));
        Assert.Equal(0, harness.ToolStatistics.Running);
    }

    [Fact]
    public async Task Run_UnrelatedReplyWhileANestedOneHoldsTheToolSlot_WaitsForTheSlot()
    {
        // One tool slot: the outer call holds it and its nested reply's call runs on it; a reply the host starts
        // meanwhile is no descendant and must wait for the slot like any other.
        var order = new List<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var nestedEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = Tool("t.hold", async (_, _, ct) =>
        {
            nestedEntered.TrySetResult();
            await release.Task.WaitAsync(ct);
            lock (order)
            {
                order.Add("nested released");
            }

            return JsonValue.Create("held");
        });
        var mark = Tool("t.mark", (_, _, _) =>
        {
            lock (order)
            {
                order.Add("unrelated ran");
            }

            return ValueTask.FromResult<JsonNode?>(JsonValue.Create("marked"));
        });
        var sub = new SubAgent();
        var options = Options("jint") with { MaxConcurrentToolExecutions = 1 };
        using var harness = sub.Attach(new HarnessPipeline(options, new JintEngineFactory(), sub.Registry(hold, mark)));

        var outer = RunOneAsync(harness, "return await tools.sub.run({ script: 'return await tools.t.hold({});' });");
        await nestedEntered.Task.WaitAsync(Guard);
        var unrelated = RunOneAsync(harness, "return await tools.t.mark({});");

        // Time for the unrelated call to run if it could; under load it may not get that far, which passes vacuously.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        release.SetResult();

        Assert.Equal("\"held\"", Describe(await outer));
        Assert.Equal("\"marked\"", Describe(await unrelated));
        Assert.Equal(["nested released", "unrelated ran"], order);
    }

    [Fact]
    public async Task Run_NestedCallThatIgnoresItsToken_IsAbandonedWithoutGivingBackTheSlotItBorrowed()
    {
        var stubbornEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = new ToolDefinition("t.stubborn", "ignores its token", new JsonObject { ["type"] = "object" }, async (_, _, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5), CancellationToken.None);
            stubbornEnded.TrySetResult();
            return JsonValue.Create("late");
        }) { Timeout = TimeSpan.FromMilliseconds(200) };
        var sub = new SubAgent();
        var options = Options("jint") with { MaxConcurrentToolExecutions = 1 };
        using var harness = sub.Attach(new HarnessPipeline(options, new JintEngineFactory(), sub.Registry(stubborn)));

        var outcome = await RunOneAsync(harness,
            "return await tools.sub.run({ script: 'try { await tools.t.stubborn({}); } catch (e) { return e.code; }' });");
        await stubbornEnded.Task.WaitAsync(Guard);

        Assert.Equal("\"tool_execution_failed\"", Describe(outcome));
        var statistics = harness.ToolStatistics;
        Assert.Equal(1, statistics.TotalAbandoned);
        Assert.Equal(0, statistics.Running);

        // The one slot is still exactly one: the next call gets it (a slot given back twice would have thrown).
        Assert.Equal("{\"again\":1}", Describe(await RunOneAsync(harness, "return await tools.t.echo({ again: 1 });")));
    }

    [Fact]
    public async Task Run_NestedReplyWithTwoBlocks_StillRunsThemOneAtATimeUnderMaxParallelScripts()
    {
        var inFlight = 0;
        var peak = 0;
        var probe = Tool("t.probe", async (_, _, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            Interlocked.Decrement(ref inFlight);
            return JsonValue.Create(true);
        });
        var sub = new SubAgent();
        var options = Options("jint") with { MaxParallelScripts = 1 };
        using var harness = sub.Attach(new HarnessPipeline(options, new JintEngineFactory(), sub.Registry(probe)));

        var outcome = await RunOneAsync(harness, "return await tools.sub.blocks({ script: 'return await tools.t.probe({});', count: 2 });");

        Assert.Equal("[true,true]", Describe(outcome));
        Assert.Equal(1, Volatile.Read(ref peak));
    }

    private static ScriptHarnessOptions Options(string engine) => new() { Engine = engine, Limits = Patient };

    private static ToolDefinition Tool(string name, ToolHandler handler) => new(name, name, new JsonObject { ["type"] = "object" }, handler);

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref target, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    private static async Task<ScriptOutcome> RunOneAsync(HarnessPipeline harness, string script)
    {
        using var guard = new CancellationTokenSource(Guard);
        var outcomes = await SubAgent.RunAsync(harness, $"<tool-calls>\n{script}\n</tool-calls>", guard.Token).WaitAsync(Guard);
        return Assert.Single(outcomes);
    }

    private static string Describe(ScriptOutcome outcome) =>
        outcome.Status == ScriptStatus.Ok ? outcome.Value?.ToJsonString() ?? "null" : outcome.Error!.ToString();

    /// <summary>Sub-agent tools: each runs a nested reply on the harness they are attached to, from inside its handler.</summary>
    private sealed class SubAgent
    {
        private static readonly JsonObject AnyObject = new() { ["type"] = "object" };
        private HarnessPipeline? _harness;
        private readonly List<ScriptError> _refusals = [];

        /// <summary>The <c>nesting_limit_exceeded</c> errors the nested replies got.</summary>
        public IReadOnlyList<ScriptError> Refusals
        {
            get
            {
                lock (_refusals)
                {
                    return [.. _refusals];
                }
            }
        }

        public HarnessPipeline Attach(HarnessPipeline harness) => _harness = harness;

        public ToolRegistry Registry(params ToolDefinition[] more) => new([
            TestTools.Echo(),
            new("sub.run", "runs {script} as a nested reply", (JsonObject)AnyObject.DeepClone(),
                (args, _, ct) => OneAsync(args!["script"]!.GetValue<string>(), 1, ct)),
            new("sub.blocks", "runs {script} {count} times as blocks of one nested reply", (JsonObject)AnyObject.DeepClone(),
                (args, _, ct) => ManyAsync(args!["script"]!.GetValue<string>(), args["count"]!.GetValue<int>(), ct)),
            new("sub.deep", "nests {levels} replies deep and returns the depth the innermost handler saw", (JsonObject)AnyObject.DeepClone(),
                (args, call, ct) =>
                {
                    var levels = args!["levels"]!.GetValue<int>();
                    return levels == 0
                        ? ValueTask.FromResult<JsonNode?>(new JsonObject { ["depth"] = call.Script.NestingDepth })
                        : OneAsync($"return await tools.sub.deep({{ levels: {levels - 1} }});", 1, ct);
                }),
            .. more,
        ]);

        public static async Task<List<ScriptOutcome>> RunAsync(IScriptHarness harness, string reply, CancellationToken cancellationToken)
        {
            var outcomes = new List<ScriptOutcome>();
            await foreach (var item in harness.RunAsync(reply, cancellationToken: cancellationToken))
            {
                if (item is ScriptResultItem result)
                {
                    outcomes.Add(result.Outcome);
                }
            }

            return outcomes;
        }

        private async ValueTask<JsonNode?> OneAsync(string script, int count, CancellationToken cancellationToken) =>
            (await ManyAsync(script, count, cancellationToken))![0]!.DeepClone();

        private async ValueTask<JsonNode?> ManyAsync(string script, int count, CancellationToken cancellationToken)
        {
            var reply = string.Concat(Enumerable.Repeat($"<tool-calls>\n{script}\n</tool-calls>\n", count));
            var results = new JsonArray();
            foreach (var outcome in await RunAsync(_harness!, reply, cancellationToken))
            {
                if (outcome.Status == ScriptStatus.Ok)
                {
                    results.Add(outcome.Value?.DeepClone());
                    continue;
                }

                if (outcome.Error!.Code == ScriptErrorCode.NestingLimitExceeded)
                {
                    lock (_refusals)
                    {
                        _refusals.Add(outcome.Error);
                    }
                }

                results.Add(new JsonObject { ["code"] = outcome.Error.WireCode });
            }

            return results;
        }
    }
}
