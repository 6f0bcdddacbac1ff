using System.Text.Json.Nodes;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines;

/// <summary>
/// The script surface's contract (<see cref="ScriptSurface"/>) held against each engine: V8 runs the prelude generated
/// from it and Jint builds the surface from the host side, so this is what proves both define and freeze exactly what
/// it lists, log at its levels and mark their errors with its code property.
/// </summary>
public abstract partial class EngineTests
{
    private const string DeepFrozen = """
        function deepFrozen(v) {
          if (v === null || typeof v !== 'object') return true;
          if (!Object.isFrozen(v)) return false;
          for (const k of Object.keys(v)) if (!deepFrozen(v[k])) return false;
          return true;
        }
        """;

    [Fact]
    public async Task Surface_DefinesAndFreezesEachGlobalAsScriptSurfaceLists()
    {
        var names = string.Join(", ", ScriptSurface.Globals.Select(g => $"'{g.Name}'"));
        var removed = string.Join(", ", ScriptSurface.RemovedGlobals.Select(g => $"'{g}'"));
        var (outcome, _) = await Run(DeepFrozen + $$"""
            const report = { globals: {} };
            for (const name of [{{names}}]) {
              const d = Object.getOwnPropertyDescriptor(globalThis, name);
              report.globals[name] = d === undefined ? 'missing' : [d.enumerable, d.writable, d.configurable, Object.isFrozen(d.value), deepFrozen(d.value)];
            }
            report.removed = [{{removed}}].filter((n) => n in globalThis);
            report.console = Object.keys(console).map((k) => [k, typeof console[k]]);
            report.progress = typeof context['{{ScriptSurface.ProgressFunction}}'];
            return report;
            """);
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());
        var report = outcome.Value!.AsObject();

        foreach (var global in ScriptSurface.Globals)
        {
            // Enumerable, read-only, not configurable, frozen; and deeply so where the contract says.
            var seen = report["globals"]![global.Name]!.ToJsonString();
            Assert.True(seen.StartsWith("[true,false,false,true,", StringComparison.Ordinal), $"{global.Name}: {seen}");
            if (global.Freezing == SurfaceFreezing.DeepFrozen)
            {
                Assert.True(seen == "[true,false,false,true,true]", $"{global.Name} is not deeply frozen: {seen}");
            }
        }

        Assert.Equal("[]", report["removed"]!.ToJsonString());
        Assert.Equal(
            new JsonArray([.. ScriptSurface.ConsoleMethods.Select(m => (JsonNode)new JsonArray(m.Name, "function"))]).ToJsonString(),
            report["console"]!.ToJsonString());
        Assert.Equal("function", report["progress"]!.GetValue<string>());
    }

    [Fact]
    public async Task Surface_LogsEachConsoleMethodAtItsLevel_FreezesToolResults_AndCodesItsErrors()
    {
        var (outcome, bridge) = await Run(DeepFrozen + $$"""
            for (const name of Object.keys(console)) console[name](name);
            const result = await tools.t.echo({ a: { b: [1, { c: 2 }] } });
            let error = 'not thrown';
            try { await tools.t.nope({}); } catch (e) { error = [Object.keys(e), e['{{ScriptSurface.ErrorCodeProperty}}']]; }
            return { frozen: Object.isFrozen(result), deep: deepFrozen(result), error };
            """);
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());

        Assert.Equal(ScriptSurface.ConsoleMethods.Select(m => (m.Level, m.Name)), bridge.Console.Logs.Select(l => (l.Level, l.Message)));
        var deep = ScriptSurface.ToolResultFreezing == SurfaceFreezing.DeepFrozen ? "true" : "false";
        Assert.Equal(
            $$"""{"frozen":true,"deep":{{deep}},"error":[["{{ScriptSurface.ErrorCodeProperty}}"],"tool_not_found"]}""",
            outcome.Value!.ToJsonString());
    }
}
