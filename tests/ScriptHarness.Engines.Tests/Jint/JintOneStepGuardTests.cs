using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>Every one-step allocator is checked before it allocates on Jint (issues 9.9 and 10), and still works.</summary>
public sealed class JintOneStepGuardTests
{
    private static readonly JintEngineFactory Engine = new();

    // Arrays as long as the calls ask for, so it is each guard, not the array-length limit, that refuses.
    private static readonly ScriptLimits Limits = OneStepCalls.Limits with { MaxArrayLength = 1u << 30 };

    public static TheoryData<string> Targets => [.. OneStepAllocators.All.Select(a => a.Target)];

    [Fact]
    public void EveryCatalogueEntry_HasAHugeCall() =>
        Assert.All(OneStepAllocators.All, a => Assert.True(OneStepCalls.Huge.ContainsKey(a.Target), a.Target));

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task HugeCall_IsRefusedByItsGuardBeforeItAllocates(string target)
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, $"return {OneStepCalls.Huge[target]};", Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
        // The guard's message: the call was refused before the built-in ran, not stopped by the budget afterwards.
        Assert.StartsWith(target + " would allocate", outcome.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Proxy = null;")]
    [InlineData("globalThis.Proxy = function () { return {}; };")]
    public async Task BufferGuards_HoldWhenTheScriptReplacedProxyFirst(string replace)
    {
        // The guards of the buffer family are proxies made on first use, with the realm's own Proxy, not the global's.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, replace + " return new ArrayBuffer(2 ** 30).byteLength;", Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
        Assert.StartsWith("ArrayBuffer would allocate", outcome.Error?.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> MarshalledValues => [.. OneStepCalls.Marshalled.Keys];

    [Theory]
    [MemberData(nameof(MarshalledValues))]
    public async Task HugeMarshalledValue_IsRefusedBeforeItIsWritten(string value)
    {
        // Issue 17.3: these used to grow the process to gigabytes until the outer deadline, and on after it.
        var (outcome, bridge) = await ScriptRunHelper.RunAsync(Engine, OneStepCalls.Marshalled[value], OneStepCalls.MarshalLimits);
        Assert.True(ScriptErrorCode.MemoryLimit == outcome.Error?.Code, $"{outcome.Error?.Code}: {outcome.Error?.Message}");
        Assert.Contains("would allocate", outcome.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(0, bridge.AcceptedCalls);
    }

    [Theory]
    [InlineData("return await tools.t.echo({ a });")]
    [InlineData("return [a];")]
    [InlineData("console.log(a);\nreturn 'logged';")]
    public async Task LongMarshalling_WithinTheBudget_StopsAtTheScriptsDeadline(string use)
    {
        // Issue 17.3: the walk of tool arguments never checked the deadline, so a value within the budget was written on
        // past it; the watchdog reported timeout and the thread went on writing after it. The return value and console
        // arguments (Jint's serializer, counted) are held to the same promise.
        var limits = ScriptLimits.Default with { MemoryBytes = 4L << 30, Timeout = TimeSpan.FromMilliseconds(300) };
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "const a = [];\na.length = 2 ** 25;\n" + use, limits);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
        Assert.True(outcome.Duration < limits.Timeout + new JintEngineOptions().WatchdogSlack, $"the watchdog, not the engine, ended it: {outcome.Duration}");
    }

    [Fact]
    public async Task OrdinaryCalls_OfGuardedBuiltIns_BehaveAsBefore()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, OneStepCalls.Ordinary, Limits);
        Assert.Null(outcome.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(OneStepCalls.OrdinaryResult), outcome.Value), outcome.Value?.ToJsonString());
    }

    [Fact]
    public async Task Refusal_CannotBeCaughtByTheScript()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine,
            "try { 'x'.repeat(2 ** 29); } catch (e) { return 'caught'; }\nreturn 'after';", Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
    }

    [Fact]
    public async Task ScriptEndingRightAfterCrossingItsBudget_EndsWithMemoryLimit()
    {
        // One statement allocates past the budget and returns before any check: the budget is checked at the end too.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return ['x'.repeat(6e6), 'y'.repeat(6e6)].length;", Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
    }

    [Fact]
    public async Task ScriptReplacingAGuardedBuiltIn_GetsItsOwnFunction()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine,
            "String.prototype.repeat = function () { return 'mine'; };\nUint8Array = 5;\nreturn ['a'.repeat(3), Uint8Array, typeof Int8Array];", Limits);
        Assert.Equal("""["mine",5,"function"]""", outcome.Value?.ToJsonString());
    }
}
