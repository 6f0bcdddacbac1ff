using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli;

/// <summary>
/// The engines the CLI offers: the one list every command, its help and the README's CLI section take the names from.
/// </summary>
internal static class CliEngines
{
    /// <summary>The engine <c>run</c> and <c>mcp</c> use unless told otherwise.</summary>
    public const string Default = JintEngineFactory.EngineName;

    /// <summary>Every engine the CLI registers, the default first: the core's list of known engines.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. KnownEngines.All.Select(e => e.Name)];

    /// <summary>The names for help text: "jint (default), v8".</summary>
    public static string Described => string.Join(", ", Names.Select(n => n == Default ? n + " (default)" : n));

    /// <summary>Registers every engine of <see cref="Names"/>.</summary>
    public static IServiceCollection AddAll(IServiceCollection services)
    {
        services.AddJintEngine();
        services.AddV8Engine();
        return services;
    }
}
