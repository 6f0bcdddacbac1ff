using System.Text.RegularExpressions;
using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The JavaScript prelude is generated from the surface's data (the Jint surface reads the same data; EngineTests.Surface
/// holds both engines to it).
/// </summary>
public sealed class ScriptSurfaceTests
{
    [Fact]
    public void Prelude_HasEveryPlaceholderFilled()
    {
        Assert.DoesNotMatch(new Regex(@"/\*[A-Za-z]+\*/"), SandboxPrelude.Source);
    }

    [Fact]
    public void Prelude_WritesTheSurfacesNamesAndCodes()
    {
        Assert.Contains("for (const k of [" + string.Join(", ", ScriptSurface.ProbeKeys.Select(k => $"'{k}'")) + "])", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains("for (const k of [" + string.Join(", ", ScriptSurface.RemovedGlobals.Select(k => $"'{k}'")) + "]) delete G[k];", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains("'runtime_error'", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains("harnessError('tool_validation_failed', ", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains("hostDone(false, 'serialization_failed', ", SandboxPrelude.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Prelude_DefinesAndFreezesTheGlobals_AndLogsAtTheLevels_TheContractLists()
    {
        var globals = string.Join(", ", ScriptSurface.Globals.Select(g => $"['{g.Name}', {(g.Freezing == SurfaceFreezing.DeepFrozen ? "true" : "false")}]"));
        Assert.Contains($"const globals = [{globals}];", SandboxPrelude.Source, StringComparison.Ordinal);
        var methods = string.Join(", ", ScriptSurface.ConsoleMethods.Select(m => $"['{m.Name}', {(int)m.Level}]"));
        Assert.Contains($"const methods = [{methods}];", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains($"ctx['{ScriptSurface.ProgressFunction}'] = ", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains($"defineProperty(e, '{ScriptSurface.ErrorCodeProperty}', ", SandboxPrelude.Source, StringComparison.Ordinal);
        Assert.Contains("if (env.ok === true) return deepFreeze(env.value);", SandboxPrelude.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Surface_NamesAreSafeAsJavaScriptLiterals()
    {
        // The prelude writes them between single quotes without escaping.
        var names = ScriptSurface.Globals.Select(g => g.Name).Concat(ScriptSurface.ConsoleMethods.Select(m => m.Name))
            .Append(ScriptSurface.ProgressFunction).Append(ScriptSurface.ErrorCodeProperty);
        foreach (var name in ScriptSurface.ProbeKeys.Concat(ScriptSurface.RemovedGlobals).Concat(names))
        {
            Assert.Matches(new Regex(@"^[A-Za-z_$][A-Za-z0-9_$]*$"), name);
        }
    }
}
