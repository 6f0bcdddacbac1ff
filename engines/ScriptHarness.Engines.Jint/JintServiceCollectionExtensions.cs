using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

// Extension methods live in the DI namespace so they are found where services are configured.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Jint engine.</summary>
public static class JintServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Jint engine (name <c>jint</c>) to the engines the harness can choose from, with <paramref name="options"/>, or when null with the
    /// options a host binds from the configuration section <c>Engines:Jint</c> (see <c>AddScriptHarness</c>).
    /// </summary>
    /// <exception cref="ScriptHarness.ConfigurationException">Thrown when the engine is first resolved with invalid options.</exception>
    public static IServiceCollection AddJintEngine(this IServiceCollection services, JintEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Explicit options win; otherwise the host's IOptions<JintEngineOptions>, which AddScriptHarness binds from Engines:Jint.
        if (options is not null)
        {
            services.AddSingleton(Options.Options.Create(options));
        }

        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptEngineFactory, JintEngineFactory>(
            sp => new JintEngineFactory(sp.GetRequiredService<Options.IOptions<JintEngineOptions>>().Value)));
        return services;
    }
}
