using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScriptHarness;
using ScriptHarness.Approvals;
using ScriptHarness.Hosting;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.State;
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
    /// <see cref="ScriptHarnessOptions"/>, e.g. <c>Engine</c>, <c>Limits:Timeout</c>); register an engine too, e.g.
    /// <c>AddJintEngine()</c>, whose own options bind from <c>Engines:{name}</c> (e.g. <c>Engines:Jint:MaxThreads</c>). Everything is checked when a generic host starts (and, without a host, when the harness is
    /// first resolved): one <see cref="ConfigurationException"/> lists every problem — invalid values, values that do
    /// not convert, keys that are near misses of real ones, an engine that is not registered, a tool added twice. Keys
    /// that no setting reads and that are near none are logged as a warning.
    /// </summary>
    /// <remarks>
    /// Called more than once, the calls compose into one harness: the tools of every call, every call's approval policy
    /// (a call needs approval when any of them says so), every call's configuration (bound in order) and every call's
    /// <c>Configure</c>, in registration order.
    /// </remarks>
    public static IServiceCollection AddScriptHarness(
        this IServiceCollection services,
        IConfiguration? configuration = null,
        Action<ScriptHarnessBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ScriptHarnessBuilder(services);
        configure?.Invoke(builder);

        // ValidateOnStart: a host's start fails, before any hosted service starts, with every problem of the setup in one
        // ConfigurationException (ScriptHarnessValidation); without a host, the first resolve of the harness does.
        var options = services.AddOptions<ScriptHarnessOptions>().ValidateOnStart();
        if (configuration is not null)
        {
            options.Configure(o => ScriptHarnessConfiguration.Bind(configuration, o));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScriptHarnessOptions>, ScriptHarnessValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IConfigureOptions<>), typeof(EngineOptionsBinding<>)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IValidateOptions<>), typeof(EngineOptionsValidation<>)));
        services.TryAddSingleton<IApprovalService>(FixedApprovalService.DenyAll);
        services.AddSingleton(new ScriptHarnessRegistration(configuration, builder));
        services.TryAddSingleton<ScriptHarnessSetup>();
        services.TryAddSingleton(CreateHarness);
        services.TryAddSingleton<IScriptHarness>(sp => sp.GetRequiredService<HarnessPipeline>());
        return services;
    }

    private static HarnessPipeline CreateHarness(IServiceProvider services)
    {
        var setup = services.GetRequiredService<ScriptHarnessSetup>().Value;
        var (engine, options) = EngineSelector.Isolate(setup.Engine!, setup.Options, services.GetService<IEngineIsolator>());
        return new HarnessPipeline(options, engine, new ToolRegistry(setup.Tools), services.GetRequiredService<IApprovalService>(),
            services.GetService<ILogger<HarnessPipeline>>(), services.GetService<TimeProvider>(),
            ScriptHarnessRegistration.ApprovalPolicy(services.GetServices<ScriptHarnessRegistration>()),
            services.GetService<IScriptStateStore>());
    }
}
