using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptHarness.Approvals;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;
using static ScriptHarness.Benchmarks.Compact.Measure;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>
/// Where a trivial script's and a tool call's managed allocations go, component by component. Bytes allocated do not
/// depend on how busy the machine is, so these figures stay comparable when the timings are not.
/// </summary>
internal static class AllocationWorkloads
{
    public static async Task<JsonObject> Components(string engine)
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 100_000 };
        var registry = new ToolRegistry(TestToolSet.Create().Tools);
        using var gate = new ToolExecutionGate(16);
        var services = new ToolServices(gate, new ToolArgumentValidator(), FixedApprovalService.DenyAll, NullLogger.Instance, TimeProvider.System);
        var context = ScriptContextFactory.Create(new RunIdentity("bench-conversation", "bench-session", "bench-turn"), 0, ToolMode.Enabled, limits);
        var echo = registry.Tools.First(t => t.Name == "test.echo");
        var validator = new ToolArgumentValidator();
        var argument = JsonNode.Parse("{\"i\":1}");
        using var bridge = new ScriptToolBridge(registry, context, services);
        var scripts = new ScriptValidator();
        var prelude = Engine.PrepareScript(SandboxPrelude.Source, SandboxPrelude.SourceName);
        var toolNames = new JsonArray([.. registry.Names.Select(n => JsonValue.Create(n))]).ToJsonString();

        var o = new JsonObject
        {
            ["desc"] = "managed bytes allocated per operation, on the calling thread unless marked (all threads)",
            ["tool_call_bytes"] = PerCall(() => bridge.InvokeAsync("test.echo", JsonNode.Parse("{\"i\":1}"), CancellationToken.None).AsTask().GetAwaiter().GetResult()),
            ["tool_call_schema_validation_bytes"] = PerCall(() => validator.ValidateAsync(echo, argument, CancellationToken.None).AsTask().GetAwaiter().GetResult()),
            ["script_validation_bytes"] = PerCall(() => scripts.Validate("return 1+1")),
            ["detection_trivial_reply_bytes"] = PerCall(() => ToolCallDetector.Detect(PipelineHarness.TrivialReply)),
            ["engine_new_bytes"] = PerCall(() => RawJint.Create(limits).Dispose(), 300),
            // The shared JS prelude (which V8 runs) on a bare Jint engine: what Jint's host-built surface avoids.
            ["js_prelude_on_raw_jint_bytes"] = PerCall(() =>
            {
                using var e = RawJint.Create(limits);
                e.Call(e.Evaluate(prelude), Noop(e), Noop(e), Noop(e), Noop(e), toolNames, context.ToScriptJson().ToJsonString());
            }, 300),
        };

        var factory = BenchEngines.Create(engine);
        using (var harness = new EngineHarness(factory, ScriptLimits.Default))
        {
            o["engine_layer_trivial_script_bytes_all_threads"] = await AllThreads(() => harness.RunAsync("return 1+1"));
        }

        using (var pipeline = new PipelineHarness(factory))
        {
            o["whole_harness_trivial_script_bytes_all_threads"] = await AllThreads(() => pipeline.RunAsync(PipelineHarness.TrivialReply));
        }

        (factory as IDisposable)?.Dispose();
        return o;
    }

    private static ClrFunction Noop(Engine engine) => new(engine, "host", (_, _) => JsValue.Undefined);

    private static double PerCall(Action action, int n = 2000)
    {
        for (var i = 0; i < n / 10; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            action();
        }

        return Math.Round((GC.GetAllocatedBytesForCurrentThread() - before) / (double)n);
    }

    private static async Task<double> AllThreads<T>(Func<ValueTask<T>> action)
    {
        const int n = 300;
        for (var i = 0; i < 100; i++)
        {
            await action();
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < n; i++)
        {
            await action();
        }

        return Math.Round((GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n);
    }
}
