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
    /// <summary>Adds the Jint engine (name <c>jint</c>) to the engines the harness can choose from.</summary>
    public static IServiceCollection AddJintEngine(this IServiceCollection services, JintEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptEngineFactory>(new JintEngineFactory(options)));
        return services;
    }
}
