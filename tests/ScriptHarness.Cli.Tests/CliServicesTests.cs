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
    [InlineData(null, null)]
    [InlineData("v8", "process")]
    [InlineData("v8", "in-process")]
    [InlineData("jint", "process")]
    public void Registrations_AreValid_ForEveryEngineAndIsolation(string? engine, string? isolation)
    {
        var configuration = CliHost.BuildConfiguration(null, new Dictionary<string, string?>
        {
            ["Engine"] = engine,
            ["Isolation"] = isolation switch { null => null, "in-process" => nameof(EngineIsolation.InProcess), _ => nameof(EngineIsolation.Process) },
        });
        var toolSets = CliHost.ResolveToolSets("files,test", new DirectoryInfo(Path.GetTempPath()));
        using var services = CliHost.Register(configuration, toolSets, FixedApprovalService.DenyAll)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var harness = services.GetRequiredService<HarnessPipeline>();
        Assert.Equal(engine ?? CliEngines.Default, harness.Options.Engine);
        Assert.Equal(CliEngines.Names, services.GetServices<IScriptEngineFactory>().Select(e => e.Name).Distinct());
        Assert.Contains("files.read", harness.Tools.Names);
    }
}
