using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.Jint;

/// <summary>The catalogue on Jint in Process isolation: the same worker carries it.</summary>
public sealed class JintProcessConformanceTests(ConformanceEngineFixture fixture) : ConformanceTests(fixture)
{
    protected override IScriptEngineFactory CreateEngine() => new ProcessScriptEngineFactory(new JintEngineFactory(), ConformanceIsolation.Options);
}
