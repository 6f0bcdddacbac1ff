using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli;

/// <summary>
/// The engines the CLI offers: the one list every command, its help and the README's CLI section take the names from.
/// </summary>
internal static class CliEngines
{
    /// <summary>The engine <c>run</c> and <c>mcp</c> use unless told otherwise.</summary>
    public const string Default = JintEngineFactory.EngineName;

    // Each engine's name beside its registration, the default first. The names are the factories' own constants (a test
    // holds them equal to what the registrations produce), so reading them builds no container: every command's help
    // lists them, and building one at start-up cost a cold `run` tens of milliseconds.
    private static readonly (string Name, Func<IServiceCollection, IServiceCollection> Add)[] Registrations =
    [
        (JintEngineFactory.EngineName, static services => services.AddJintEngine()),
        (V8EngineFactory.EngineName, static services => services.AddV8Engine()),
    ];

    /// <summary>
    /// Every engine <see cref="AddAll"/> registers, the default first: one list with the registrations, so a command
    /// never offers an engine the CLI does not register (or hides one it does).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = [.. Registrations.Select(r => r.Name)];

    /// <summary>The names for help text: "jint (default), v8".</summary>
    public static string Described => string.Join(", ", Names.Select(n => n == Default ? n + " (default)" : n));

    /// <summary>Registers every engine the CLI offers: the one place an engine is added to the CLI.</summary>
    public static IServiceCollection AddAll(IServiceCollection services)
    {
        foreach (var registration in Registrations)
        {
            registration.Add(services);
        }

        return services;
    }

    /// <summary>
    /// Registers the engine <paramref name="configuration"/> chooses (<c>Engine</c>, the default when unset), or every
    /// engine when it names none the CLI offers, so the harness's setup problem lists them all. A command runs on one
    /// engine: making the others' factories (V8's loads ClearScript) cost a cold <c>run</c> ~20 ms.
    /// </summary>
    public static IServiceCollection AddChosen(IServiceCollection services, IConfiguration configuration)
    {
        var name = configuration[nameof(ScriptHarnessOptions.Engine)];
        name = string.IsNullOrWhiteSpace(name) ? Default : name;
        foreach (var registration in Registrations)
        {
            if (string.Equals(registration.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return registration.Add(services);
            }
        }

        return AddAll(services);
    }
}
