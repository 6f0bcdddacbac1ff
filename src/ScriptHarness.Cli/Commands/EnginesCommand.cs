using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Hosting;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Commands;

/// <summary>
/// <c>scriptharness engines</c>: the engines, each tried for real (a sandbox runs <c>return 1</c>) in this process and in a
/// worker process, with what it enforces; an engine that is registered but does not load here says so and why.
/// </summary>
internal static class EnginesCommand
{
    public static Command Create()
    {
        var command = new Command("engines", "List the engines that run on this machine (each is tried), the limits each enforces natively and its isolation.");
        command.SetAction((_, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            foreach (var name in CliEngines.Names)
            {
                await Console.Out.WriteLineAsync((await DescribeAsync(name, cancellationToken).ConfigureAwait(false)).AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<string> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        var inProcess = await ProbeAsync(name, EngineIsolation.InProcess, cancellationToken).ConfigureAwait(false);
        var process = await ProbeAsync(name, EngineIsolation.Process, cancellationToken).ConfigureAwait(false);
        var engine = inProcess.Engine;
        if (inProcess.Failure is { } failure && process.Failure is not null)
        {
            return $"{name,-8} not available: {failure}";
        }

        var caps = Enum.GetValues<EngineCapabilities>()
            .Where(c => c is not EngineCapabilities.None and not EngineCapabilities.ProcessIsolated && engine.Capabilities.HasFlag(c))
            .Select(c => c.ToString());
        var processText = process.Failure is { } p ? $"process not available: {p}" : null;
        var inProcessText = inProcess.Failure is { } i ? $"in-process not available: {i}" : null;
        const string ProcessDefault = "process (default; worker processes, hard heap/RSS/time limits, engine_crashed instead of a host abort)";
        var isolation = EngineSelector.DefaultIsolation(engine) == EngineIsolation.Process
            ? $"isolation: {processText ?? ProcessDefault}, {inProcessText ?? "in-process available"}"
            : $"isolation: {inProcessText ?? "in-process (default)"}, {processText ?? "process available"}";
        return $"{name,-8} {string.Join(", ", caps)}; {isolation}";
    }

    /// <summary>The engine as the harness would run it with <paramref name="isolation"/>, and why it does not run, if it does not.</summary>
    private static async Task<(IScriptEngineFactory Engine, string? Failure)> ProbeAsync(string name, EngineIsolation isolation, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine"] = name,
            ["Isolation"] = isolation.ToString(),
        }).Build();
        await using var services = CliHost.BuildServices(configuration, [], FixedApprovalService.DenyAll);
        var raw = services.GetServices<IScriptEngineFactory>().Single(e => e.Name == name);
        HarnessPipeline harness;
        try
        {
            harness = services.GetRequiredService<HarnessPipeline>();
        }
        catch (ConfigurationException ex)
        {
            // Process isolation without its worker next to the CLI, say: that isolation is not available here.
            return (raw, string.Join("; ", ex.Problems));
        }

        return (raw, await EngineProbe.FailureAsync(harness.Engine, null, cancellationToken).ConfigureAwait(false));
    }
}
