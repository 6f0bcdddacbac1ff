using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Hosting;

/// <summary>
/// Engine options are checked like every other options type (every problem in one <see cref="ConfigurationException"/>)
/// and, under a host, bind from <c>Engines:Jint</c> / <c>Engines:V8</c> of the harness's configuration.
/// </summary>
public sealed class EngineOptionsTests
{
    private static IHost Build(Action<IServiceCollection> engines, params (string Key, string Value)[] settings)
    {
        var builder = TestHosts.Builder(settings);
        builder.Services.AddScriptHarness(builder.Configuration.GetSection("ScriptHarness"));
        engines(builder.Services);
        return builder.Build();
    }

    [Fact]
    public void JintOptions_EveryProblemAtOnce()
    {
        var options = new JintEngineOptions { MaxThreads = 0, ThreadStackBytes = 1, WatchdogSlack = TimeSpan.FromSeconds(-1) };
        var ex = Assert.Throws<ConfigurationException>(() => new JintEngineFactory(options));
        Assert.Equal(3, ex.Problems.Count);
        Assert.All(ex.Problems, p => Assert.StartsWith("Engines:Jint:", p, StringComparison.Ordinal));
        Assert.False(ex.Retryable);
    }

    [Theory]
    [InlineData(16 * 1024 * 1024 - 1, false)]
    [InlineData(16 * 1024 * 1024, true)]
    public void JintOptions_ThreadStack_AtLeastSixteenMebibytes(int bytes, bool valid)
    {
        // A script may take 1/64 of the stack; at 1 MiB that was too little for a map and a JSON.stringify.
        var problems = new JintEngineOptions { ThreadStackBytes = bytes }.Validate();

        Assert.Equal(valid ? [] : ["Engines:Jint:ThreadStackBytes must be at least 16777216 (16 MiB)"], problems);
    }

    [Fact]
    public void V8Options_EveryProblemAtOnce()
    {
        var options = new V8EngineOptions
        {
            MaxRuntimes = 0, ThreadStackBytes = 1, StackBytesPerFrame = 1, WarmEnginesPerRuntime = -1, ScriptCacheSize = -1,
            IdleTrimAfter = TimeSpan.Zero, HeapSampleInterval = TimeSpan.Zero, WatchdogSlack = TimeSpan.FromSeconds(-1),
        };
        var ex = Assert.Throws<ConfigurationException>(() => new V8EngineFactory(options));
        Assert.Equal(8, ex.Problems.Count);
        Assert.All(ex.Problems, p => Assert.StartsWith("Engines:V8:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        Assert.Empty(new JintEngineOptions().Validate());
        Assert.Empty(new V8EngineOptions().Validate());
        Assert.Equal(KnownEngines.Jint, ((IEngineOptions)new JintEngineOptions()).EngineName);
        Assert.Equal(KnownEngines.V8, ((IEngineOptions)new V8EngineOptions()).EngineName);
    }

    [Fact]
    public async Task Host_BindsEngineOptionsFromTheirSections()
    {
        using var host = Build(s => s.AddJintEngine().AddV8Engine(),
            ("ScriptHarness:Engines:Jint:MaxThreads", "3"), ("ScriptHarness:Engines:V8:ScriptCacheSize", "7"));
        await host.StartAsync();
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<JintEngineOptions>>().Value.MaxThreads);
        Assert.Equal(7, host.Services.GetRequiredService<IOptions<V8EngineOptions>>().Value.ScriptCacheSize);
        Assert.Equal(2, host.Services.GetServices<IScriptEngineFactory>().Count());
        await host.StopAsync();
    }

    [Fact]
    public async Task Host_InvalidEngineOptions_FailTheStartWithTheOtherProblems()
    {
        using var host = Build(s => s.AddJintEngine(),
            ("ScriptHarness:Engines:Jint:MaxThreads", "0"), ("ScriptHarness:MaxParallelScripts", "0"));
        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("Engines:Jint:MaxThreads", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MaxParallelScripts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_ExplicitEngineOptions_WinOverConfiguration()
    {
        using var host = Build(s => s.AddJintEngine(new JintEngineOptions { MaxThreads = 5 }),
            ("ScriptHarness:Engines:Jint:MaxThreads", "3"));
        await host.StartAsync();
        Assert.Equal(5, host.Services.GetRequiredService<IOptions<JintEngineOptions>>().Value.MaxThreads);
        await host.StopAsync();
    }
}
