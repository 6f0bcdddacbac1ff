using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ScriptHarness.Context;
using ScriptHarness.State;
using ScriptHarness.Approvals;
using ScriptHarness.Conformance.Tools;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Conformance.Running;

/// <summary>
/// Runs conformance scenarios against one engine through the public harness (<see cref="HarnessPipeline"/>), each on
/// a fresh harness with fresh conformance tools, and judges the outcome. After every scenario the same harness must
/// still run a trivial script: an attack that leaves the engine broken fails even if its own outcome looked right.
/// </summary>
public sealed class ConformanceRunner
{
    // Time for cancelled tool calls to unwind before the probe is read, and past the bound before the runner gives up.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(30);

    private readonly IScriptEngineFactory _engine;
    private readonly string _engineName;
    private readonly TimeProvider _time;
    private readonly FeatureProbes _features;
    private readonly Lazy<Task> _warmUp;

    /// <summary>Creates a runner for <paramref name="engine"/>; <paramref name="time"/> measures durations (default system).</summary>
    public ConformanceRunner(IScriptEngineFactory engine, TimeProvider? time = null)
        : this(engine, engine?.Name!, time)
    {
    }

    /// <summary>
    /// Creates a runner for <paramref name="engine"/> whose results are reported under <paramref name="engineName"/>: one
    /// engine in two isolation modes makes two columns of the report, e.g. <c>v8 (process)</c> and <c>v8 (in-process)</c>.
    /// </summary>
    public ConformanceRunner(IScriptEngineFactory engine, string engineName, TimeProvider? time = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        ArgumentException.ThrowIfNullOrWhiteSpace(engineName);
        _engineName = engineName;
        _time = time ?? TimeProvider.System;
        _features = new FeatureProbes(engine);
        _warmUp = new Lazy<Task>(WarmUpAsync);
    }

    /// <summary>The name the results are reported under: the engine's name unless given.</summary>
    public string EngineName => _engineName;

    /// <summary>Runs <paramref name="scenarios"/> one after the other (timing bounds assume nothing else of the suite runs meanwhile).</summary>
    public async Task<IReadOnlyList<ConformanceResult>> RunAllAsync(
        IEnumerable<ConformanceScenario> scenarios, IProgress<ConformanceResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var results = new List<ConformanceResult>();
        foreach (var scenario in scenarios)
        {
            var result = await RunAsync(scenario, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        return results;
    }

    /// <summary>Runs one scenario: a skip with the reason when the engine cannot apply it, else pass or fail with what differed.</summary>
    public async Task<ConformanceResult> RunAsync(ConformanceScenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var missing = scenario.Requires & ~_engine.Capabilities;
        if (missing != EngineCapabilities.None)
        {
            return ConformanceResult.Skipped(scenario, EngineName, $"the engine does not enforce {missing} natively");
        }

        if (scenario.RequiresFeature is { } feature && await _features.LacksAsync(feature, cancellationToken).ConfigureAwait(false) is { } lack)
        {
            return ConformanceResult.Skipped(scenario, EngineName, lack);
        }

        await _warmUp.Value.ConfigureAwait(false);
        var start = _time.GetTimestamp();
        var problems = await JudgeAsync(scenario, cancellationToken).ConfigureAwait(false);
        var ms = Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 1);
        return problems.Count == 0
            ? new ConformanceResult(scenario.Id, EngineName, ConformanceStatus.Pass, null, ms)
            : new ConformanceResult(scenario.Id, EngineName, ConformanceStatus.Fail, string.Join("; ", problems), ms);
    }

    private async Task<IReadOnlyList<string>> JudgeAsync(ConformanceScenario scenario, CancellationToken cancellationToken)
    {
        var probe = new ConformanceProbe();
        var options = (scenario.Harness ?? new ScriptHarnessOptions()) with { Engine = _engine.Name, Limits = scenario.Limits ?? ScriptLimits.Default, Mode = scenario.Mode };
        // Each scenario is its own conversation, with its own state kept in memory across its replies.
        using var harness = new HarnessPipeline(options, _engine, ConformanceToolSet.CreateRegistry(scenario.Tools, probe, _time), Approver(scenario.Approvals),
            stateStore: new DistributedCacheScriptStateStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))));
        var conversation = new RunOptions { Identity = new RunIdentity("conformance-" + scenario.Id, "conformance", "turn-1") };
        probe.Harness = harness;
        var bound = scenario.Expect.Within + Overrun;
        using var overrun = new CancellationTokenSource(bound, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(overrun.Token, cancellationToken);
        try
        {
            var start = _time.GetTimestamp();
            var outcomes = new List<ScriptOutcome>();
            var decisions = new Queue<bool>(scenario.Resumes);
            foreach (var reply in scenario.Replies())
            {
                foreach (var outcome in await RunReplyAsync(harness, reply, conversation, linked.Token).ConfigureAwait(false))
                {
                    var last = outcome;
                    while (last.Status == ScriptStatus.Suspended && decisions.TryDequeue(out var approve))
                    {
                        last = await harness.ResumeAsync(last.Suspension!.Token, approve ? ApprovalDecision.Approve : ApprovalDecision.Deny("the reviewer said no"),
                            cancellationToken: linked.Token).ConfigureAwait(false);
                    }

                    outcomes.Add(last);
                }
            }

            var observation = new ConformanceObservation { Outcomes = outcomes, Probe = probe, Elapsed = _time.GetElapsedTime(start) };
            await probe.WaitIdleAsync(Settle, _time, cancellationToken).ConfigureAwait(false);
            var problems = ScenarioCheck.Problems(scenario, observation, _engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated));
            if (await StillAliveAsync(harness, linked.Token).ConfigureAwait(false) is { } dead)
            {
                problems.Add(dead);
            }

            return problems;
        }
        catch (OperationCanceledException) when (overrun.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return [$"the scenario did not finish within {bound.TotalSeconds:0} s and was cancelled by the runner"];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The harness promises results, never exceptions, for anything a script does.
            return [$"the harness threw {ex.GetType().Name}: {ex.Message}"];
        }
    }

    // The engine's and the harness's cold start (JIT, first schema, first realm) takes seconds on a loaded machine and
    // must not count against whichever scenario happens to run first.
    private async Task WarmUpAsync()
    {
        var probe = new ConformanceProbe();
        var options = new ScriptHarnessOptions { Engine = _engine.Name };
        using var harness = new HarnessPipeline(options, _engine, ConformanceToolSet.CreateRegistry([ConformanceToolSet.Echo], probe, _time));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1), _time);
        await RunReplyAsync(harness, "<tool-calls>await tools.test.echo({ warm: true }); return 'warm';</tool-calls>", null, limit.Token).ConfigureAwait(false);
    }

    private static async Task<string?> StillAliveAsync(HarnessPipeline harness, CancellationToken cancellationToken)
    {
        var outcomes = await RunReplyAsync(harness, "<tool-calls>return 'alive';</tool-calls>", new RunOptions { Mode = ToolMode.Enabled }, cancellationToken)
            .ConfigureAwait(false);
        return outcomes is [{ Status: ScriptStatus.Ok, Value: { } v }] && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "alive"
            ? null
            : $"the engine did not survive: a trivial script afterwards ended {(outcomes.Count == 1 ? ScenarioCheck.Describe(outcomes[0]) : $"with {outcomes.Count} results")}";
    }

    internal static async Task<List<ScriptOutcome>> RunReplyAsync(IScriptHarness harness, string reply, RunOptions? options, CancellationToken cancellationToken)
    {
        var outcomes = new List<ScriptOutcome>();
        await foreach (var item in harness.RunAsync(reply, options, cancellationToken).ConfigureAwait(false))
        {
            if (item is ScriptResultItem result)
            {
                outcomes.Add(result.Outcome);
            }
        }

        return outcomes;
    }

    private static FixedApprovalService? Approver(ScenarioApprover policy) => policy switch
    {
        ScenarioApprover.ApproveAll => FixedApprovalService.ApproveAll,
        ScenarioApprover.DenyAll => FixedApprovalService.DenyAllWith("the reviewer said no"),
        _ => null,
    };
}
