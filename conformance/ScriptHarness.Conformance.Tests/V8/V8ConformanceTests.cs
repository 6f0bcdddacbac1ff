using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.V8;

public sealed class V8ConformanceTests(ConformanceEngineFixture fixture) : ConformanceTests(fixture)
{
    protected override IScriptEngineFactory CreateEngine() => new V8EngineFactory();
}
