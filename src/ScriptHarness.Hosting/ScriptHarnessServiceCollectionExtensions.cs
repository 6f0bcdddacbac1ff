using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScriptHarness;
using ScriptHarness.Approvals;
using ScriptHarness.Hosting;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

// Extension methods live in the DI namespace so they are found where services are configured.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers ScriptHarness in a service collection.</summary>
public static class ScriptHarnessServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IScriptHarness"/>. Options bind from <paramref name="configuration"/> (keys as in
    /// <see cref="ScriptHarnessOptions"/>, e.g. <c>Engine</c>, <c>Limits:Timeout</c>) and are validated when the
    /// harness is first resolved, every problem reported at once. Register an engine too, e.g. <c>AddJintEngine()</c>.
    /// </summary>
    /// <remarks>
    /// Called more than once, the calls compose into one harness: the tools of every call, every call's approval policy
    /// (a call needs approval when any of them says so) and every call's <c>Configure</c>, in registration order.
    /// </remarks>
    public static IServiceCollection AddScriptHarness(
        this IServiceCollection services,
        IConfiguration? configuration = null,
        Action<ScriptHarnessBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ScriptHarnessBuilder(services);
        configure?.Invoke(builder);

        var options = services.AddOptions<ScriptHarnessOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScriptHarnessOptions>, ScriptHarnessOptionsValidator>());
        services.TryAddSingleton<IApprovalService>(FixedApprovalService.DenyAll);
        services.AddSingleton(new ScriptHarnessRegistration(configuration, builder));
        services.TryAddSingleton(CreateHarness);
        services.TryAddSingleton<IScriptHarness>(sp => sp.GetRequiredService<HarnessPipeline>());
        return services;
    }

    private static HarnessPipeline CreateHarness(IServiceProvider services)
    {
        var registrations = services.GetServices<ScriptHarnessRegistration>().ToList();
        var options = ScriptHarnessRegistration.Configure(registrations, services.GetRequiredService<IOptions<ScriptHarnessOptions>>().Value);
        var (engine, isolated) = EngineSelector.Isolate(
            EngineSelector.Select(services.GetServices<IScriptEngineFactory>(), options.Engine), options, services.GetService<IEngineIsolator>());
        options = isolated;
        var tools = new ToolRegistry(services.GetServices<ToolSet>().SelectMany(s => s.Tools).Concat(services.GetServices<ToolDefinition>()));
        return new HarnessPipeline(options, engine, tools, services.GetRequiredService<IApprovalService>(),
            services.GetService<ILogger<HarnessPipeline>>(), services.GetService<TimeProvider>(), ScriptHarnessRegistration.ApprovalPolicy(registrations));
    }
}
