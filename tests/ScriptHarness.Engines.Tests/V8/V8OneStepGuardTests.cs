using System.Text.Json.Nodes;
using Microsoft.ClearScript.V8;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.V8;

/// <summary>
/// Every one-step allocator is refused on V8 before it runs (issues 9.9 and 10): a single native call must not grow the
/// host past the sampled heap limit, nor abort it (V8's fatal out-of-memory cannot be caught in the process).
/// </summary>
public sealed class V8OneStepGuardTests
{
    private static readonly V8EngineFactory Engine = new();

    public static TheoryData<string> Wrapped => [.. V8OneStepGuards.Wrapped.Select(a => a.Target)];

    public static TheoryData<string> Buffers =>
        [.. OneStepAllocators.All.Where(a => a.Measure == OneStepMeasure.BufferBytes).Select(a => a.Target)];

    [Theory]
    [MemberData(nameof(Wrapped))]
    public async Task HugeCall_IsRefusedByItsGuardBeforeItAllocates(string target)
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, $"return {OneStepCalls.Huge[target]};", OneStepCalls.Limits);
        Assert.True(ScriptErrorCode.MemoryLimit == outcome.Error?.Code, $"{outcome.Error?.Code}: {outcome.Error?.Message} after {outcome.Duration}");
        Assert.StartsWith(target + " would allocate", outcome.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Buffers))]
    public async Task HugeBuffer_IsRefusedByTheRuntimesArrayBufferCap(string target)
    {
        // Not wrapped: V8's ArrayBuffer allocator is capped at the memory limit and refuses before it allocates.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, $"return {OneStepCalls.Huge[target]};", OneStepCalls.Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
    }

    public static TheoryData<string> MarshalledValues => [.. OneStepCalls.Marshalled.Keys];

    [Theory]
    [MemberData(nameof(MarshalledValues))]
    public async Task HugeMarshalledValue_IsRefusedBeforeItIsWritten(string value)
    {
        // Issue 17.3: the prelude writes tool arguments, console values and the return value with the guarded
        // JSON.stringify (captured after the guards are armed), and text with the guarded join, so the refusal names them.
        var (outcome, bridge) = await ScriptRunHelper.RunAsync(Engine, OneStepCalls.Marshalled[value], OneStepCalls.MarshalLimits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
        Assert.Contains(" would allocate", outcome.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(0, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task OrdinaryCalls_OfGuardedBuiltIns_BehaveAsOnJint()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, OneStepCalls.Ordinary, OneStepCalls.Limits);
        Assert.Null(outcome.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(OneStepCalls.OrdinaryResult), outcome.Value), outcome.Value?.ToJsonString());
    }

    [Fact]
    public async Task Refusal_CaughtByTheScript_StillEndsItWithMemoryLimit()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine,
            "try { 'x'.repeat(2 ** 29); } catch (e) { return 'caught'; }\nreturn 'after';", OneStepCalls.Limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, outcome.Error?.Code);
        Assert.StartsWith("String.prototype.repeat would allocate", outcome.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guards_LookNativeAndKeepNoTraceInStacks()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, """
            let stack = '';
            try { [1].join({ toString() { throw new Error('inside'); } }); } catch (e) { stack = e.stack; }
            return [String(''.repeat), String([].join), String(JSON.stringify), Object.keys(''.padEnd).length, 'prototype' in [].fill,
              stack.includes('guards'), stack.split('\n').filter(l => l.trim().startsWith('at ')).every(l => l.includes('script'))];
            """, OneStepCalls.Limits);
        Assert.Equal("""["function repeat() { [native code] }","function join() { [native code] }","function stringify() { [native code] }",0,false,false,true]""",
            outcome.Value?.ToJsonString());
    }

    [Fact]
    public async Task EveryGuard_HasItsBuiltInsNameAndLength_AndIsWrittenWithThem()
    {
        // The lengths the guards are written with are V8's own (an engine without guards is asked).
        using var plain = new V8ScriptEngine();
        var paths = V8OneStepGuards.Wrapped.Select(a => a.Target.Replace("%TypedArray%", "Object.getPrototypeOf(Int8Array)", StringComparison.Ordinal)).ToList();
        var shape = "[" + string.Join(", ", paths.Select(p => $"[{p}.name, {p}.length, 'prototype' in {p}]")) + "]";
        var expected = JsonNode.Parse((string)plain.Evaluate($"JSON.stringify({shape})"))!;
        Assert.All(V8OneStepGuards.Wrapped.Select((a, i) => (a, i)), x => Assert.Equal(expected[x.i]![1]!.GetValue<int>(), V8OneStepGuards.Lengths[x.a.Target]));

        // In a sandbox every guard shows the same name, length and no prototype; that each is a guard at all is shown by
        // HugeCall_IsRefusedByItsGuardBeforeItAllocates, per target. The source holds them written out.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, $"return {shape};", OneStepCalls.Limits);
        Assert.True(JsonNode.DeepEquals(expected, outcome.Value), outcome.Value?.ToJsonString());
        Assert.Contains("repeat(a0) { return this == null ? apply(originals[0], this, arguments) : measures.Repeat(entries[0], originals[0], this, arguments); }", V8OneStepGuards.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextScript_RunsAfterARefusal()
    {
        await ScriptRunHelper.RunAsync(Engine, $"return {OneStepCalls.Huge["Array.prototype.fill"]};", OneStepCalls.Limits);
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return [1, 2, 3].fill(7).join('');", OneStepCalls.Limits);
        Assert.Equal("777", outcome.Value?.GetValue<string>());
    }
}
