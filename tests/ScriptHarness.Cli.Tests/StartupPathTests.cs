using System.Text.Json.Nodes;
using ScriptHarness.Cli.Startup;
using ScriptHarness.Startup;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// Pins the cold-start choices of issue 12 (their effect is measured by bench/compare.sh, not here): ReadyToRun for the
/// CLI and the worker, TieredPGO off, no compiled service factories and no W^X in the CLI (the worker,
/// where V8 runs by default, keeps W^X), Jint warmed up on the other core for a run, ICU's time-zone names skipped.
/// </summary>
public sealed class StartupPathTests
{
    [Fact]
    public void TimeZoneDisplayNames_OnThisRuntime_GivesEachSystemZoneItsId()
    {
        // Fails when a runtime renames TimeZoneInfo's field: the trick would silently stop saving its ~300 ms.
        TimeZoneDisplayNames.UseIdentifiers();

        var zones = TimeZoneInfo.GetSystemTimeZones(skipSorting: true);
        Assert.NotEmpty(zones);
        Assert.All(zones.Where(z => z.Id.Contains('/', StringComparison.Ordinal)).Take(50), z => Assert.Equal(z.Id, z.DisplayName));
    }

    [Theory]
    [InlineData(new[] { "run", "reply.md" }, true)]
    [InlineData(new[] { "run", "-", "--engine", "jint" }, true)]
    [InlineData(new[] { "run", "reply.md", "--engine", "v8" }, false)]
    [InlineData(new[] { "run", "reply.md", "--engine=v8" }, false)]
    [InlineData(new[] { "engines" }, false)]
    [InlineData(new string[0], false)]
    public void JintWarmUp_IsWantedForARunThatMayUseJint(string[] args, bool wanted) =>
        Assert.Equal(wanted, JintWarmUp.Wanted(args));

    [Theory]
    [InlineData("src/ScriptHarness.Cli/ScriptHarness.Cli.csproj")]
    [InlineData("engines/ScriptHarness.Engines.Worker/ScriptHarness.Engines.Worker.csproj")]
    public void StartedPrograms_ImportReadyToRun_AndTurnTieredPgoOff(string project)
    {
        var text = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, project));
        Assert.Contains("build/ReadyToRun.targets", text, StringComparison.Ordinal);
        Assert.Contains("<TieredPGO>false</TieredPGO>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadyToRunTargets_OnForReleaseOnLinuxX64_WithAnOptOut()
    {
        var text = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "build", "ReadyToRun.targets"));
        Assert.Contains("'$(ScriptHarnessReadyToRun)' == '' and '$(Configuration)' == 'Release'", text, StringComparison.Ordinal);
        Assert.Contains("AfterTargets=\"Build\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Runtime.TieredPGO", false)]
    [InlineData("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", true)]
    [InlineData("System.Runtime.EnableWriteXorExecute", false)]
    public void CliRuntimeConfig_HasTheShortLivedProcessSettings(string property, bool value)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(CliProcess.CliAssembly, ".runtimeconfig.json")))!;
        Assert.Equal(value, (bool?)config["runtimeOptions"]?["configProperties"]?[property]);
    }

    [Fact]
    public void WorkerRuntimeConfig_KeepsWriteXorExecuteOn_WhereV8RunsByDefault()
    {
        var worker = Path.Combine(Path.GetDirectoryName(CliProcess.CliAssembly)!, "scriptharness-worker", "ScriptHarness.Engines.Worker.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(worker))!["runtimeOptions"]?["configProperties"]?.AsObject();

        Assert.NotNull(properties);
        Assert.False(properties.ContainsKey("System.Runtime.EnableWriteXorExecute"));
    }
}
