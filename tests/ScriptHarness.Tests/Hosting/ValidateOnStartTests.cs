using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process;
using ScriptHarness.Pipeline;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Hosting;

/// <summary>
/// Every options type is validated through Microsoft.Extensions.Options (<c>IValidateOptions</c> calling the record's own
/// <c>Validate</c>), and the harness's setup with <c>ValidateOnStart</c>: a real generic host fails before any hosted
/// service starts, with every problem of every options type in one <see cref="ConfigurationException"/>.
/// </summary>
public sealed class ValidateOnStartTests
{
    private static IHost Build(Action<IServiceCollection>? more, params (string Key, string Value)[] settings)
    {
        var builder = TestHosts.Builder(settings);
        more?.Invoke(builder.Services);
        builder.Services.AddScriptHarness(builder.Configuration.GetSection("ScriptHarness")).AddJintEngine();
        return builder.Build();
    }

    [Fact]
    public async Task Start_BadSetup_FailsBeforeAnyHostedServiceStarts()
    {
        // Registered before AddScriptHarness: a check in a hosted service's StartingAsync would have let this one start first.
        var probe = new StartProbe();
        using var host = Build(s => s.AddSingleton<IHostedService>(probe), ("ScriptHarness:MaxParallelScripts", "0"));

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());

        Assert.StartsWith("MaxParallelScripts", Assert.Single(ex.Problems), StringComparison.Ordinal);
        Assert.Equal(0, probe.Starts);
    }

    [Fact]
    public async Task Start_ProblemsOfEveryOptionsType_InOneException()
    {
        var tool = new ToolDefinition("t.echo", "echo", new JsonObject { ["type"] = "object" }, (a, _, _) => ValueTask.FromResult(a));
        using var host = Build(
            s => s.AddScriptHarness(configure: h => h.AddTool(tool).AddTool(tool)),
            ("ScriptHarness:MaxParallelScripts", "0"), ("ScriptHarness:Limits:Timeout", "banana"),
            ("ScriptHarness:Engines:Jint:MaxThreads", "0"), ("ScriptHarness:Engines:Jint:ThreadStackBytes", "1"));

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());

        Assert.Equal("invalid_configuration", ex.Code);
        Assert.Equal(5, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("MaxParallelScripts", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'banana'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Engines:Jint:MaxThreads", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Engines:Jint:ThreadStackBytes", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'t.echo' is added 2 times", StringComparison.Ordinal));
        Assert.All(ex.Problems, p => Assert.Contains(p, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void HarnessOptions_ReadDirectly_AreValidatedWithTheWholeSetup()
    {
        using var host = Build(null, ("ScriptHarness:MaxBlocksPerReply", "0"), ("ScriptHarness:Engine", "jnit"));

        var ex = Assert.Throws<ConfigurationException>(() => host.Services.GetRequiredService<IOptions<ScriptHarnessOptions>>().Value);

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("did you mean jint?", StringComparison.Ordinal));
    }

    [Fact]
    public void EngineOptions_ReadDirectly_FailWithEveryProblemOfTheirOwn()
    {
        using var host = Build(null, ("ScriptHarness:Engines:Jint:MaxThreads", "0"), ("ScriptHarness:Engines:Jint:ThreadStackBytes", "1"));

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<JintEngineOptions>>().Value);

        Assert.Equal(typeof(JintEngineOptions), ex.OptionsType);
        Assert.Equal(2, ex.Failures.Count());
        Assert.All(ex.Failures, f => Assert.StartsWith("Engines:Jint:", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostsOwnValidator_FailsTheStart_AndTheHarnessResolveAsAConfigurationException()
    {
        using var host = Build(s => s.AddOptions<ScriptHarnessOptions>().Validate(o => o.MaxBlocksPerReply > 1000, "the host wants more than 1000 blocks"));

        var start = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal("the host wants more than 1000 blocks", Assert.Single(start.Failures));

        var resolve = Assert.Throws<ConfigurationException>(() => host.Services.GetRequiredService<IScriptHarness>());
        Assert.Equal("the host wants more than 1000 blocks", Assert.Single(resolve.Problems));
    }

    [Fact]
    public async Task GoodSetup_Starts_AndTheOptionsReadAreTheBoundOnes()
    {
        using var host = Build(null, ("ScriptHarness:MaxBlocksPerReply", "4"), ("ScriptHarness:Engines:Jint:MaxThreads", "2"));

        await host.StartAsync();
        try
        {
            Assert.Equal(4, host.Services.GetRequiredService<IOptions<ScriptHarnessOptions>>().Value.MaxBlocksPerReply);
            Assert.Equal(2, host.Services.GetRequiredService<IOptions<JintEngineOptions>>().Value.MaxThreads);
            Assert.Equal(4, host.Services.GetRequiredService<HarnessPipeline>().Options.MaxBlocksPerReply);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void NamedHarnessOptions_AreTheHostsOwn_AndNotCheckedAsTheHarness()
    {
        using var host = Build(s => s.Configure<ScriptHarnessOptions>("elsewhere", _ => { }), ("ScriptHarness:MaxBlocksPerReply", "0"));

        var named = host.Services.GetRequiredService<IOptionsMonitor<ScriptHarnessOptions>>().Get("elsewhere");

        Assert.NotNull(named);
        Assert.Throws<ConfigurationException>(() => host.Services.GetRequiredService<IOptions<ScriptHarnessOptions>>().Value);
    }

    [Fact]
    public void ProcessIsolation_DurationsNoTimerOrDeadlineHolds_AreRefused()
    {
        // KillGrace is added to each script's deadline in the watchdog, where TimeSpan.MaxValue overflowed.
        var options = new ProcessIsolationOptions { KillGrace = TimeSpan.MaxValue, StartTimeout = TimeSpan.FromHours(1), IdleTrimAfter = TimeSpan.FromDays(50) };

        Assert.Equal(
            [
                "ProcessIsolation.IdleTrimAfter must be positive and at most 49.7 days, or infinite",
                "ProcessIsolation.KillGrace must be positive and at most 10 minutes",
                "ProcessIsolation.StartTimeout must be positive and at most 10 minutes",
            ],
            options.Validate());
        Assert.Empty((options with { KillGrace = TimeSpan.FromMinutes(10), StartTimeout = TimeSpan.FromMinutes(10), IdleTrimAfter = Timeout.InfiniteTimeSpan }).Validate());
    }

    [Fact]
    public void ProcessIsolation_InvalidOptions_FailAtRegistrationWithEveryProblem()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ConfigurationException>(() => services.AddProcessIsolation(new ProcessIsolationOptions { MaxWorkers = 0, KillGrace = TimeSpan.Zero }));

        Assert.Equal(3, ex.Problems.Count); // MaxWorkers, MinWorkers (above MaxWorkers) and KillGrace
        Assert.All(ex.Problems, p => Assert.StartsWith("ProcessIsolation.", p, StringComparison.Ordinal));
        Assert.Empty(services);
    }

    private sealed class StartProbe : IHostedLifecycleService
    {
        public int Starts { get; private set; }

        public Task StartingAsync(CancellationToken cancellationToken)
        {
            Starts++;
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
