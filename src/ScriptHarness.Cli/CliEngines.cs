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

    /// <summary>
    /// Every engine <see cref="AddAll"/> registers, the default first: read from the registrations themselves, so a
    /// command never offers an engine the CLI does not register (or hides one it does).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = Registered();

    /// <summary>The names for help text: "jint (default), v8".</summary>
    public static string Described => string.Join(", ", Names.Select(n => n == Default ? n + " (default)" : n));

    /// <summary>Registers every engine the CLI offers: the one place an engine is added to the CLI.</summary>
    public static IServiceCollection AddAll(IServiceCollection services)
    {
        services.AddJintEngine();
        services.AddV8Engine();
        return services;
    }

    private static string[] Registered()
    {
        // Factories do no work until a script runs, so building them only to read their names is cheap.
        using var services = AddAll(new ServiceCollection()).BuildServiceProvider();
        return [.. services.GetServices<IScriptEngineFactory>().Select(e => e.Name).Distinct(StringComparer.Ordinal)
            .OrderBy(n => n == Default ? 0 : 1)];
    }
}
