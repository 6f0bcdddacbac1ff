using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// The CLI's service registrations, validated here once (every service constructible, no scoped service from the root)
/// rather than at every start of the command, where validation cost a cold <c>run</c> tens of milliseconds.
/// </summary>
public sealed class CliServicesTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("v8", "process", null)]
    [InlineData("v8", "in-process", null)]
    [InlineData("jint", "process", null)]
    [InlineData(null, null, "127.0.0.1:6399")]
    public void Registrations_AreValid_ForEveryEngineIsolationAndStateStore(string? engine, string? isolation, string? redis)
    {
        // Building the container connects to nothing: the Redis state store is registered, not reached.
        var configuration = CliHost.BuildConfiguration(null, new Dictionary<string, string?>
        {
            ["State:Redis"] = redis,
            ["Engine"] = engine,
            ["Isolation"] = isolation switch { null => null, "in-process" => nameof(EngineIsolation.InProcess), _ => nameof(EngineIsolation.Process) },
        });
        var toolSets = CliHost.ResolveToolSets("files,test", new DirectoryInfo(Path.GetTempPath()));
        using var services = CliHost.Register(configuration, toolSets, FixedApprovalService.DenyAll)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var harness = services.GetRequiredService<HarnessPipeline>();
        Assert.Equal(engine ?? CliEngines.Default, harness.Options.Engine);
        // Only the engine the run uses is made (a V8 factory loads ClearScript: ~20 ms of a cold run on Jint).
        Assert.Equal([engine ?? CliEngines.Default], services.GetServices<IScriptEngineFactory>().Select(e => e.Name));
        Assert.Contains("files.read", harness.Tools.Names);
        Assert.NotNull(services.GetService<ScriptHarness.State.IScriptStateStore>());
    }

    [Theory]
    [InlineData("V8", "v8")]
    [InlineData("JINT", "jint")]
    [InlineData("", "jint")]
    public void Register_AddsTheChosenEngine_WhateverTheCaseOfItsName(string engine, string registered)
    {
        var configuration = CliHost.BuildConfiguration(null, new Dictionary<string, string?> { ["Engine"] = engine });
        using var services = CliHost.Register(configuration, [], FixedApprovalService.DenyAll).BuildServiceProvider();

        Assert.Equal([registered], services.GetServices<IScriptEngineFactory>().Select(e => e.Name));
    }

    [Theory]
    [InlineData("quickjs")]
    [InlineData("v9")]
    [InlineData(" jint")]
    public void Register_AnEngineTheCliDoesNotOffer_RegistersEveryEngine_SoTheProblemListsThem(string engine)
    {
        var configuration = CliHost.BuildConfiguration(null, new Dictionary<string, string?> { ["Engine"] = engine });
        using var services = CliHost.Register(configuration, [], FixedApprovalService.DenyAll).BuildServiceProvider();

        Assert.Equal(CliEngines.Names, services.GetServices<IScriptEngineFactory>().Select(e => e.Name));
        var problem = Assert.Single(Assert.Throws<ConfigurationException>(() => services.GetRequiredService<HarnessPipeline>()).Problems);
        Assert.Contains($"Engine '{engine}'", problem, StringComparison.Ordinal);
        Assert.Contains("registered: " + string.Join(", ", CliEngines.Names), problem, StringComparison.Ordinal);
    }
}
