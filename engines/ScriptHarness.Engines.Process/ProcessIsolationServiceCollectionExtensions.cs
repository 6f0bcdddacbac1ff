using Microsoft.Extensions.DependencyInjection.Extensions;
using ScriptHarness.Engines.Process;
using ScriptHarness.Hosting;

// Extension methods live in the DI namespace so they are found where services are configured.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers process isolation.</summary>
public static class ProcessIsolationServiceCollectionExtensions
{
    /// <summary>
    /// Lets the harness run its engine in worker processes (<c>Isolation = Process</c>, the default for V8). Workers are
    /// started when the harness is first resolved and stopped with the container.
    /// </summary>
    /// <exception cref="ScriptHarness.ConfigurationException"><paramref name="options"/> are invalid (every problem at once).</exception>
    public static IServiceCollection AddProcessIsolation(this IServiceCollection services, ProcessIsolationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new ProcessIsolationOptions();
        // Given in code, not bound: checked here, before the host is even built, instead of when the first script runs.
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ScriptHarness.ConfigurationException(problems);
        }

        services.TryAddSingleton<IEngineIsolator>(new ProcessEngineIsolator(options));
        return services;
    }
}
