using Microsoft.Extensions.DependencyInjection.Extensions;
using ScriptHarness.Engines.V8;
using ScriptHarness.Runtime;

// Extension methods live in the DI namespace so they are found where services are configured.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the V8 engine.</summary>
public static class V8ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the V8 engine (name <c>v8</c>) to the engines the harness can choose from, with <paramref name="options"/>, or when null with the
    /// options a host binds from the configuration section <c>Engines:V8</c> (see <c>AddScriptHarness</c>).
    /// </summary>
    /// <exception cref="ScriptHarness.ConfigurationException">Thrown when the engine is first resolved with invalid options.</exception>
    public static IServiceCollection AddV8Engine(this IServiceCollection services, V8EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Explicit options win; otherwise the host's IOptions<V8EngineOptions>, which AddScriptHarness binds from Engines:V8.
        if (options is not null)
        {
            services.AddSingleton(Options.Options.Create(options));
        }

        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptEngineFactory, V8EngineFactory>(
            sp => new V8EngineFactory(sp.GetRequiredService<Options.IOptions<V8EngineOptions>>().Value)));
        return services;
    }
}
