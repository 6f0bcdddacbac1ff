using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>The shared engine cases on Jint, plus the limits only Jint enforces.</summary>
public sealed class JintEngineTests : EngineTests
{
    private static readonly JintEngineFactory Factory = new();

    protected override IScriptEngineFactory Engine => Factory;

    [Fact]
    public void Prepare_RegexLiteral_IsInterpreted_NotCompiledToIL()
    {
        // Compiling a script's pattern to IL costs ~3 ms per new pattern in the host; the RegExp constructor's are
        // interpreted, and literals are too.
        var literal = new global::Jint.Engine().Evaluate(JintScripts.Prepare("/sh-(\\d+)-literal/gi"));

        var regex = Assert.IsType<global::Jint.Native.JsRegExp>(literal).Value;
        Assert.False(regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.Compiled), regex.Options.ToString());
        Assert.Matches(regex, "SH-42-LITERAL");
    }

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

    [Theory]
    [InlineData("await tools.t.echo({});")]
    [InlineData("await null;")]
    public async Task Run_MemoryBudget_IsTheScriptsNotEachContinuations(string between)
    {
        // Jint's budget restarts whenever the host enters the engine; the run must not enter it again after the
        // script starts. Two parts fit the limit, three do not, whether or not an await splits them.
        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        const string Part = "for (let i = 0; i < 30000; i++) keep.push({ i, s: 'item-' + i, a: [i, i] });\n";
        var (two, _) = await Run("const keep = [];\n" + Part + Part + "return keep.length;", limits);
        Assert.Equal(60000, two.Value!.GetValue<int>());
        var error = await RunError("const keep = [];\n" + Part + Part + between + "\n" + Part + "return keep.length;", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
    }
}
