using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.Jint;

public sealed class JintConformanceTests(ConformanceEngineFixture fixture) : ConformanceTests(fixture)
{
    protected override IScriptEngineFactory CreateEngine() => new JintEngineFactory();
}
