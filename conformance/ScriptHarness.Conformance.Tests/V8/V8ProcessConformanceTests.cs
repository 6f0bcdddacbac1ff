using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.V8;

/// <summary>The catalogue on V8 in Process isolation (the default for V8): scripts run in worker processes.</summary>
public sealed class V8ProcessConformanceTests(ConformanceEngineFixture fixture) : ConformanceTests(fixture)
{
    protected override IScriptEngineFactory CreateEngine() => new ProcessScriptEngineFactory(new V8EngineFactory(), ConformanceIsolation.Options);
}
