using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>The whole harness, as a host uses it: <see cref="HarnessPipeline.RunAsync(string, RunOptions?, CancellationToken)"/>.</summary>
internal sealed class PipelineHarness : IDisposable
{
    /// <summary>A reply with one trivial block: W1 through the whole harness.</summary>
    public const string TrivialReply = "<tool-calls>\nreturn 1+1\n</tool-calls>";

    private readonly HarnessPipeline _pipeline;
    private readonly IScriptHarness _harness;
    private readonly RunOptions _run = new() { Identity = new RunIdentity("bench-conversation", "bench-session", "bench-turn") };

    /// <param name="engine">The engine.</param>
    /// <param name="options">Harness options; the defaults (4 scripts of a reply at once) when null.</param>
    /// <param name="wrap">Layers around the pipeline (telemetry); none when null.</param>
    public PipelineHarness(IScriptEngineFactory engine, ScriptHarnessOptions? options = null, Func<IScriptHarness, IScriptHarness>? wrap = null)
    {
        var o = (options ?? new ScriptHarnessOptions()) with { Engine = engine.Name };
        _pipeline = new HarnessPipeline(o, engine, new ToolRegistry(TestToolSet.Create().Tools));
        _harness = wrap?.Invoke(_pipeline) ?? _pipeline;
    }

    public ScriptHarnessOptions Options => _pipeline.Options;

    /// <summary>Runs <paramref name="reply"/> to the end; returns the outcome of its last script (null when it has none).</summary>
    public async ValueTask<ScriptOutcome?> RunAsync(string reply, CancellationToken cancellationToken = default)
    {
        ScriptOutcome? last = null;
        await foreach (var item in _harness.RunAsync(reply, _run, cancellationToken))
        {
            if (item is ScriptResultItem result)
            {
                last = result.Outcome;
            }
        }

        return last;
    }

    public void Dispose() => _pipeline.Dispose();
}
