using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class KnownEnginesTests
{
    [Fact]
    public void All_NamesEachShippedEngineWithItsPackageRegistrationAndPlatforms()
    {
        Assert.Equal(
            [
                new KnownEngine("jint", "ScriptHarness.Engines.Jint", "AddJintEngine()", "every platform .NET 10 runs on (fully managed)"),
                new KnownEngine("v8", "ScriptHarness.Engines.V8", "AddV8Engine()", "linux-x64 only (ClearScript's native V8 library)"),
            ],
            KnownEngines.All);
        Assert.Same(KnownEngines.All[1], KnownEngines.Find("V8"));
        Assert.Null(KnownEngines.Find("yantra"));
        Assert.Null(KnownEngines.Find(null));
    }
}
