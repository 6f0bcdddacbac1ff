using System.Collections.Concurrent;
using System.Text.Json;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Running;

/// <summary>Whether an engine offers an optional <see cref="LanguageFeature"/>, probed once per feature.</summary>
internal sealed class FeatureProbes(IScriptEngineFactory engine)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _lacks = new(StringComparer.Ordinal);

    /// <summary>Null when the engine has the feature, else the skip reason.</summary>
    public Task<string?> LacksAsync(LanguageFeature feature, CancellationToken cancellationToken) =>
        _lacks.GetOrAdd(feature.Name, _ => new Lazy<Task<string?>>(() => ProbeAsync(feature, cancellationToken))).Value;

    private async Task<string?> ProbeAsync(LanguageFeature feature, CancellationToken cancellationToken)
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions { Engine = engine.Name }, engine);
        var outcomes = await ConformanceRunner.RunReplyAsync(harness, $"<tool-calls>return Boolean({feature.Probe});</tool-calls>", null, cancellationToken)
            .ConfigureAwait(false);
        var present = outcomes is [{ Status: ScriptStatus.Ok, Value: { } v }] && v.GetValueKind() == JsonValueKind.True;
        return present ? null : $"the engine has no {feature.Name} ({feature.WhyOptional})";
    }
}
