using System.Text.RegularExpressions;
using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>The JavaScript prelude is generated from the surface's data (the Jint surface reads the same data).</summary>
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
    public void Surface_NamesAreSafeAsJavaScriptLiterals()
    {
        // The prelude writes them between single quotes without escaping.
        foreach (var name in ScriptSurface.ProbeKeys.Concat(ScriptSurface.RemovedGlobals))
        {
            Assert.Matches(new Regex(@"^[A-Za-z_$][A-Za-z0-9_$]*$"), name);
        }
    }
}
