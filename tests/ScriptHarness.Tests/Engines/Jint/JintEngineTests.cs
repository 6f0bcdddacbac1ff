using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>The shared engine cases on Jint, plus the limits only Jint enforces.</summary>
public sealed class JintEngineTests : EngineTests
{
    private static readonly JintEngineFactory Factory = new();

    protected override IScriptEngineFactory Engine => Factory;

    [Fact]
    public async Task Run_CatastrophicRegex_IsStopped()
    {
        var limits = ScriptLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(10) };
        var (outcome, _) = await Run("return /^(a+)+$/.test('a'.repeat(40) + 'b');", limits);
        Assert.Equal(ScriptStatus.Error, outcome.Status);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(9), $"regex ran to the script timeout: {outcome.Duration}");
    }

    [Fact]
    public async Task Run_HugeArray_IsStoppedByArrayLengthLimit()
    {
        // A generous memory budget, so it is the array-length limit that refuses.
        var limits = ScriptLimits.Default with { MemoryBytes = 2L * 1024 * 1024 * 1024 };
        var (outcome, _) = await Run("const a = new Array(5e6).fill(0); return a.length;", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error!.Code);
        Assert.Contains("array longer than the limit of 1000000", outcome.Error.Message, StringComparison.Ordinal);
    }
}
