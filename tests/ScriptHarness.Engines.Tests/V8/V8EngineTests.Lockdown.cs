using ScriptHarness.Approvals;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.V8;

/// <content>What only V8 and ClearScript add, and the V8 limits that have no Jint counterpart.</content>
public sealed partial class V8EngineTests
{
    [Fact]
    public async Task Run_EngineInternal_HoldsNoHostObjectAndCannotBeChanged()
    {
        // ClearScript's EngineInternal is non-configurable: it stays on the real global, hidden from globalThis and refused
        // by name; a sloppy function's `this` still reaches the global, where it is frozen, with helpers that act only on
        // their arguments.
        var (outcome, _) = await Run("""
            const real = (function () { return this; })();
            const key = 'Engine' + 'Internal';
            const ei = real[key];
            const values = Object.getOwnPropertyNames(ei).map(k => ei[k]);
            let changed = false;
            try { 'use strict'; ei.commandHolder.x = 1; changed = ei.commandHolder.x === 1; } catch (e) { }
            try { real[key] = {}; changed = changed || real[key] !== ei; } catch (e) { }
            return {
              frozen: Object.isFrozen(ei) && Object.isFrozen(ei.commandHolder),
              host: values.some(v => ei.isHostObject(v)) || [tools, context, console, globalThis].some(v => ei.isHostObject(v)),
              changed,
              deleted: (() => { try { return delete real[key]; } catch (e) { return false; } })(),
              hidden: [typeof globalThis[key], key in globalThis, Object.getOwnPropertyNames(globalThis).includes(key)],
            };
            """);
        Assert.Equal("""{"frozen":true,"host":false,"changed":false,"deleted":false,"hidden":["undefined",false,false]}""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_PrepareStackTrace_CannotBeInstalled()
    {
        // V8's CallSite API would hand the script the functions on its stack (getFunction, getThis).
        var (outcome, _) = await Run("try { Error.prepareStackTrace = (e, sites) => sites; } catch (e) { } return typeof new Error('x').stack;");
        Assert.Equal("string", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_V8Globals_AreReplacedOrGone()
    {
        var (outcome, _) = await Run("return [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics, Object.getOwnPropertyNames(console).sort().join(), typeof gc, typeof setTimeout];");
        Assert.Equal("""["undefined","undefined","undefined","debug,error,info,log,warn","undefined","undefined"]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_ArrayBufferBomb_StopsWithMemoryLimit()
    {
        // ArrayBuffers live outside the sampled heap; the runtime's ArrayBuffer cap refuses them.
        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024 };
        var error = await RunError("const keep = []; for (let i = 0; i < 10; i++) keep.push(new ArrayBuffer(20 * 1024 * 1024)); return keep.length;", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
    }

    [Fact]
    public async Task Run_AfterMemoryBomb_NextScriptRunsOnAFreshRuntime()
    {
        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        var error = await RunError("const keep = []; for (;;) keep.push('z'.repeat(100) + keep.length);", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
        var (outcome, _) = await Run("return 1 + 1;", limits);
        Assert.Equal(2, outcome.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Run_CaughtStackOverflow_ScriptContinues()
    {
        var (outcome, _) = await Run("function f() { return f() + 1; } try { f(); } catch (e) { return e.name; }");
        Assert.Equal("RangeError", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_HostCancellationDuringLoopAfterAwait_EndsWithCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var (outcome, _) = await Run("await tools.t.echo({}); while (true) {}", ScriptLimits.Default, ct: cts.Token);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error!.Code);
    }

    [Fact]
    public async Task Run_SlowApproval_DoesNotCountAgainstTheTimeout()
    {
        // The deadline is the timeout plus the time spent waiting for a person (IToolBridge.PausedTime).
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300) };
        var (outcome, _) = await Run("const r = await tools.t.guarded({}); return r.done;", limits, new SlowApprovals(TimeSpan.FromMilliseconds(800)));
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.True(outcome.Value!.GetValue<bool>());
    }

    private sealed class SlowApprovals(TimeSpan delay) : IApprovalService
    {
        public async ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return ApprovalDecision.Approve;
        }
    }
}
