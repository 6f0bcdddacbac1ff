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
    /// <summary>Adds the V8 engine (name <c>v8</c>) to the engines the harness can choose from.</summary>
    public static IServiceCollection AddV8Engine(this IServiceCollection services, V8EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptEngineFactory>(new V8EngineFactory(options)));
        return services;
    }
}
