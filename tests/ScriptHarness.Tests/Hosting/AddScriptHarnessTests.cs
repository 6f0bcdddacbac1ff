using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Hosting;

public sealed class AddScriptHarnessTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task Resolve_BindsLimitsFromConfigurationAndRuns()
    {
        // Two minutes, not the default 30 s, so binding shows; and long enough for a cold engine on a loaded machine.
        var services = new ServiceCollection()
            .AddScriptHarness(Config(("Limits:MaxToolCalls", "1"), ("Limits:Timeout", "00:02:00")), b => b.AddToolSet(new("t", [TestTools.Echo()])))
            .AddJintEngine();
        await using var provider = services.BuildServiceProvider();
        var harness = provider.GetRequiredService<HarnessPipeline>();
        Assert.Equal(1, harness.Options.Limits.MaxToolCalls);
        Assert.Equal(TimeSpan.FromMinutes(2), harness.Options.Limits.Timeout);

        var items = new List<ResponseItem>();
        await foreach (var item in provider.GetRequiredService<IScriptHarness>().RunAsync(
            "<tool-calls>await tools.t.echo({}); try { await tools.t.echo({}); } catch (e) { return e.code; }</tool-calls>"))
        {
            items.Add(item);
        }

        var outcome = Assert.IsType<ScriptResultItem>(Assert.Single(items)).Outcome;
        Assert.True(outcome.Status == ScriptHarness.Runtime.ScriptStatus.Ok, outcome.Error?.ToString());
        Assert.Equal("tool_budget_exceeded", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public void Resolve_BindingDoesNotChangeTheSharedDefaults()
    {
        var services = new ServiceCollection().AddScriptHarness(Config(("Limits:MaxToolCalls", "3"))).AddJintEngine();
        using var provider = services.BuildServiceProvider();
        Assert.Equal(3, provider.GetRequiredService<HarnessPipeline>().Options.Limits.MaxToolCalls);
        Assert.Equal(32, ScriptHarness.Runtime.ScriptLimits.Default.MaxToolCalls);
    }

    [Fact]
    public void Resolve_InvalidConfiguration_ReportsEveryProblem()
    {
        var services = new ServiceCollection()
            .AddScriptHarness(Config(("MaxParallelScripts", "0"), ("Limits:MaxConcurrentToolCalls", "0")))
            .AddJintEngine();
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<ConfigurationException>(() => provider.GetRequiredService<IScriptHarness>());
        Assert.Equal(2, ex.Problems.Count);
    }

    [Fact]
    public void Resolve_UnknownEngine_ListsTheRegisteredOnes()
    {
        var services = new ServiceCollection().AddScriptHarness(Config(("Engine", "quickjs"))).AddJintEngine();
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<ConfigurationException>(() => provider.GetRequiredService<IScriptHarness>());
        Assert.Contains("registered: jint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_InCode_AppliesAfterBinding()
    {
        var services = new ServiceCollection()
            .AddScriptHarness(Config(("MaxParallelScripts", "2")), b => b.Configure(o => o with { MaxParallelScripts = o.MaxParallelScripts + 1 }))
            .AddJintEngine();
        using var provider = services.BuildServiceProvider();
        Assert.Equal(3, provider.GetRequiredService<HarnessPipeline>().Options.MaxParallelScripts);
    }
}
