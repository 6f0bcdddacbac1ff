using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.V8;

/// <summary>
/// The shared engine cases on V8; where V8 legitimately differs (regex, array length) its own behaviour is asserted
/// here, with the reason. V8-only lock-down checks are in the other part.
/// </summary>
public sealed partial class V8EngineTests : EngineTests
{
    private static readonly V8EngineFactory Factory = new();

    protected override IScriptEngineFactory Engine => Factory;

    [Fact]
    public async Task Run_CatastrophicRegex_FinishesInLinearTime()
    {
        // V8 differs: instead of a per-match timeout, a regex that backtracks excessively falls back to V8's
        // linear-time engine (a process flag), so the match simply finishes, quickly and correctly.
        var limits = ScriptLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(10) };
        var (outcome, _) = await Run("return /^(a+)+$/.test('a'.repeat(40) + 'b');", limits);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.False(outcome.Value!.GetValue<bool>());
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(9), $"regex ran to the script timeout: {outcome.Duration}");
    }

    [Fact]
    public async Task Run_HugeArray_IsBoundByMemoryNotLength()
    {
        // V8 differs: it has no array-length limit (no EngineCapabilities.MaxArrayLength); a 5e6 array (40 MB) fits
        // the default memory limit, and arrays that outgrow the memory limit are stopped by it.
        var (fits, _) = await Run("const a = new Array(5e6).fill(0); return a.length;");
        Assert.Equal(5_000_000, fits.Value!.GetValue<int>());

        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        var error = await RunError("const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length));", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
    }
}
