using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Running;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests;

/// <summary>
/// The shared conformance suite, run by every engine: subclass it, override <see cref="CreateEngine"/>, done. Each
/// scenario of the catalogue is its own test case, one theory per family. A scenario the engine cannot apply (a
/// capability or optional feature it lacks) is reported as skipped with the reason, never passed silently.
/// </summary>
public abstract class ConformanceTests(ConformanceEngineFixture fixture) : IClassFixture<ConformanceEngineFixture>
{
    /// <summary>Scenario ids of the security family.</summary>
    public static TheoryData<string> SecurityScenarios => Ids(ScenarioFamily.Security);

    /// <summary>Scenario ids of the denial-of-service family.</summary>
    public static TheoryData<string> DenialOfServiceScenarios => Ids(ScenarioFamily.DenialOfService);

    /// <summary>Scenario ids of the promise-lifecycle family.</summary>
    public static TheoryData<string> PromiseScenarios => Ids(ScenarioFamily.Promises);

    /// <summary>Scenario ids of the tools family.</summary>
    public static TheoryData<string> ToolScenarios => Ids(ScenarioFamily.Tools);

    /// <summary>Scenario ids of the approvals family.</summary>
    public static TheoryData<string> ApprovalScenarios => Ids(ScenarioFamily.Approvals);

    /// <summary>Scenario ids of the isolation family.</summary>
    public static TheoryData<string> IsolationScenarios => Ids(ScenarioFamily.Isolation);

    /// <summary>Scenario ids of the language family.</summary>
    public static TheoryData<string> LanguageScenarios => Ids(ScenarioFamily.Language);

    [SkippableTheory]
    [MemberData(nameof(SecurityScenarios))]
    public virtual Task Security(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(DenialOfServiceScenarios))]
    public virtual Task DenialOfService(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(PromiseScenarios))]
    public virtual Task Promises(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(ToolScenarios))]
    public virtual Task Tools(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(ApprovalScenarios))]
    public virtual Task Approvals(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(IsolationScenarios))]
    public virtual Task Isolation(string id) => RunAsync(id);

    [SkippableTheory]
    [MemberData(nameof(LanguageScenarios))]
    public virtual Task Language(string id) => RunAsync(id);

    /// <summary>The engine under test; called once per test class.</summary>
    protected abstract IScriptEngineFactory CreateEngine();

    /// <summary>Runs one scenario and turns its result into pass, fail (with what differed) or skip (with the reason).</summary>
    protected async Task RunAsync(string id)
    {
        var scenario = ConformanceCatalogue.Get(id);
        var result = await (await fixture.RunnerAsync(CreateEngine)).RunAsync(scenario);
        Skip.If(result.Status == ConformanceStatus.Skip, $"{id} skipped on {result.Engine}: {result.Reason}");
        Assert.True(result.Status == ConformanceStatus.Pass, $"{scenario} failed on {result.Engine}: {result.Reason}");
    }

    private static TheoryData<string> Ids(ScenarioFamily family) => [.. ConformanceCatalogue.Of(family).Select(s => s.Id)];
}
