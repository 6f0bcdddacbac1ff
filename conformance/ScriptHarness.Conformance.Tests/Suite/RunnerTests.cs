using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Running;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.Suite;

/// <summary>The runner's judgement, on a fake engine: skips carry reasons, and a scenario never passes by doing nothing.</summary>
public sealed class RunnerTests
{
    private static ConformanceRunner CreateSut(FakeEngine engine) => new(engine);

    private static FakeEngine Answering(JsonNode? value, EngineCapabilities capabilities = EngineCapabilities.None) =>
        new(capabilities, (_, _) => EngineResult.Success(value?.DeepClone()));

    [Fact]
    public async Task Run_EngineLacksARequiredCapability_SkipsWithTheReasonWithoutRunning()
    {
        var engine = Answering(null);
        var result = await CreateSut(engine).RunAsync(ConformanceCatalogue.Get("DOS-012"));
        Assert.Equal(ConformanceStatus.Skip, result.Status);
        Assert.Contains("RecursionLimit", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, engine.SandboxesCreated);
    }

    [Fact]
    public async Task Run_NamedColumn_ReportsEveryResultUnderThatName()
    {
        // One engine in two isolation modes makes two columns: the results must say which one they belong to.
        var runner = new ConformanceRunner(Answering(JsonValue.Create(false)), "fake (process)");
        Assert.Equal("fake (process)", runner.EngineName);
        var skipped = await runner.RunAsync(ConformanceCatalogue.Get("DOS-012"));
        var judged = await runner.RunAsync(ConformanceCatalogue.Get("LANG-001"));
        Assert.Equal("fake (process)", skipped.Engine);
        Assert.Equal("fake (process)", judged.Engine);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Create_BlankColumnName_Throws(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new ConformanceRunner(Answering(null), name));

    [Fact]
    public async Task Run_EngineLacksAnOptionalFeature_SkipsWithTheReason()
    {
        var result = await CreateSut(Answering(JsonValue.Create(false))).RunAsync(ConformanceCatalogue.Get("LANG-032"));
        Assert.Equal(ConformanceStatus.Skip, result.Status);
        Assert.Contains("structuredClone", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongValue_FailsSayingWhatDiffered()
    {
        var result = await CreateSut(Answering(JsonValue.Create("nope"))).RunAsync(ConformanceCatalogue.Get("LANG-001"));
        Assert.Equal(ConformanceStatus.Fail, result.Status);
        Assert.Contains("expected the value", result.Reason, StringComparison.Ordinal);
        Assert.Contains("\"nope\"", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExpectedErrorWithoutReachingTheAttack_Fails()
    {
        // The right code is not enough: the script must have logged its marker before the attack.
        var engine = new FakeEngine(EngineCapabilities.None, (s, _) => EngineResult.Failure(new ScriptError(ScriptErrorCode.RuntimeError, "TypeError: no")));
        var result = await CreateSut(engine).RunAsync(ConformanceCatalogue.Get("SEC-001"));
        Assert.Equal(ConformanceStatus.Fail, result.Status);
        Assert.Contains("never logged 'reached'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExpectedErrorAfterTheMarker_Passes()
    {
        var engine = new FakeEngine(EngineCapabilities.None, (s, tools) =>
        {
            if (s.Script.Source.Contains("'alive'", StringComparison.Ordinal) || s.Script.Source.Contains("'warm'", StringComparison.Ordinal))
            {
                return EngineResult.Success(JsonValue.Create("alive"));
            }

            tools.Log(LogLevel.Information, "reached");
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.RuntimeError, "TypeError: no"));
        });
        var result = await CreateSut(engine).RunAsync(ConformanceCatalogue.Get("SEC-001"));
        Assert.True(result.Status == ConformanceStatus.Pass, result.Reason);
    }

    [Fact]
    public async Task Run_EngineBrokenAfterTheScenario_Fails()
    {
        // Every script "returns" the expected value, but the trivial script run afterwards does not say 'alive'.
        var result = await CreateSut(Answering(JsonValue.Create(42))).RunAsync(ConformanceCatalogue.Get("PROM-022"));
        Assert.Equal(ConformanceStatus.Fail, result.Status);
        Assert.Contains("did not survive", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_UnavailableEngine_CarriesTheReason()
    {
        var engine = ConformanceEngine.Unavailable("yantra", "not available here");
        var result = ConformanceResult.Skipped(ConformanceCatalogue.Get("SEC-001"), engine.Name, engine.UnavailableReason!);
        Assert.Equal(new ConformanceResult("SEC-001", "yantra", ConformanceStatus.Skip, "not available here", 0), result);
        Assert.Null(engine.Factory);
    }
}
