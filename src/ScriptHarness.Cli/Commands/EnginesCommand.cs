using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Hosting;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Commands;

/// <summary><c>scriptharness engines</c>: the engines this build offers and what each enforces.</summary>
internal static class EnginesCommand
{
    public static Command Create()
    {
        var command = new Command("engines", "List the engines and the limits each enforces natively.");
        command.SetAction(async (_, cancellationToken) =>
        {
            var services = new ServiceCollection();
            services.AddJintEngine();
            services.AddV8Engine();
            await using var provider = services.BuildServiceProvider();
            foreach (var engine in provider.GetServices<IScriptEngineFactory>())
            {
                var caps = Enum.GetValues<EngineCapabilities>()
                    .Where(c => c != EngineCapabilities.None && engine.Capabilities.HasFlag(c))
                    .Select(c => c.ToString());
                var isolation = EngineSelector.DefaultIsolation(engine) == EngineIsolation.Process
                    ? "isolation: process (default; worker processes, hard heap/RSS/time limits, engine_crashed instead of a host abort), in-process available"
                    : "isolation: in-process (default), process available";
                await Console.Out.WriteLineAsync($"{engine.Name,-8} {string.Join(", ", caps)}; {isolation}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync("yantra   not available: the YantraJS packages are not served by the package registry".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
