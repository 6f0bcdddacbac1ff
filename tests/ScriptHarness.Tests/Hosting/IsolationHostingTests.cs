using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Engines.Process;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Hosting;

/// <summary>The Isolation option: configuration key, engine defaults (Process for V8, InProcess for Jint), and the hook that wraps the engine.</summary>
public sealed class IsolationHostingTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, bool processIsolation)
    {
        var services = new ServiceCollection();
        services.AddScriptHarness(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddJintEngine();
        services.AddV8Engine();
        if (processIsolation)
        {
            services.AddProcessIsolation(new ProcessIsolationOptions { MinWorkers = 0 });
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task V8_ByDefault_RunsInWorkerProcesses()
    {
        await using var provider = Build(new() { ["Engine"] = "v8" }, processIsolation: true);
        var harness = provider.GetRequiredService<HarnessPipeline>();
        Assert.Equal(EngineIsolation.Process, harness.Options.Isolation);
        Assert.IsType<ProcessScriptEngineFactory>(harness.Engine);
        Assert.Equal("v8", harness.Engine.Name);
    }

    [Fact]
    public async Task Jint_ByDefault_RunsInProcess()
    {
        await using var provider = Build(new() { ["Engine"] = "jint" }, processIsolation: true);
        var harness = provider.GetRequiredService<HarnessPipeline>();
        Assert.Equal(EngineIsolation.InProcess, harness.Options.Isolation);
        Assert.False(harness.Engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated));
    }

    [Theory]
    [InlineData("jint", "Process", true)]
    [InlineData("v8", "InProcess", false)]
    [InlineData("v8", "inprocess", false)]
    public async Task IsolationKey_OverridesTheEngineDefault(string engine, string isolation, bool isolated)
    {
        await using var provider = Build(new() { ["Engine"] = engine, ["Isolation"] = isolation }, processIsolation: true);
        var harness = provider.GetRequiredService<HarnessPipeline>();
        Assert.Equal(isolated, harness.Engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated));
    }

    [Fact]
    public async Task V8_ProcessIsolationNotRegistered_ClearConfigurationError()
    {
        await using var provider = Build(new() { ["Engine"] = "v8" }, processIsolation: false);
        var ex = Assert.Throws<ConfigurationException>(() => provider.GetRequiredService<HarnessPipeline>());
        Assert.Contains("AddProcessIsolation()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InProcess", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandBuiltHarness_IsolationThatTheEngineDoesNotHave_IsAConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new HarnessPipeline(
            new ScriptHarnessOptions { Engine = "jint", Isolation = EngineIsolation.Process }, new ScriptHarness.Engines.Jint.JintEngineFactory()));
        Assert.Contains("Isolation Process", ex.Message, StringComparison.Ordinal);
    }
}
