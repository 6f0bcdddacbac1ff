using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Hosting;

/// <summary>
/// Everything the registered <c>AddScriptHarness</c> calls add up to — options after binding and every
/// <c>Configure</c>, the engine, the tools — checked once, with every problem collected. The check runs as the
/// validation of <see cref="ScriptHarnessOptions"/> (<see cref="ScriptHarnessValidation"/>): when a host starts
/// (<c>ValidateOnStart</c>), and otherwise at the first resolve of the harness; both read the same verdict.
/// </summary>
internal sealed partial class ScriptHarnessSetup(IServiceProvider services)
{
    private readonly Lock _gate = new();
    private Verdict? _verdict;

    /// <summary>The checked setup; throws when anything is wrong.</summary>
    /// <exception cref="ConfigurationException">Every problem found, in one exception.</exception>
    public Verdict Value
    {
        get
        {
            ScriptHarnessOptions bound;
            try
            {
                // Reading the options runs their validators, among them ScriptHarnessValidation, which calls Verify.
                bound = services.GetRequiredService<IOptions<ScriptHarnessOptions>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                // A validator the host added for ScriptHarnessOptions failed; the harness's own check passed.
                throw new ConfigurationException([.. ex.Failures]);
            }
            catch (InvalidOperationException ex)
            {
                // Binding here only ever sees values that convert (ScriptHarnessConfiguration.Bind); a value the host bound
                // on its own that fails is one more problem, reported with the rest of the setup's.
                throw new ConfigurationException([ex.Message, .. Check(services, new ScriptHarnessOptions()).Problems]);
            }

            return Verify(bound);
        }
    }

    /// <summary>Checks the setup once, with <paramref name="bound"/> as the options bound from configuration.</summary>
    /// <exception cref="ConfigurationException">Every problem found, in one exception.</exception>
    public Verdict Verify(ScriptHarnessOptions bound)
    {
        Verdict verdict;
        lock (_gate)
        {
            verdict = _verdict ??= Check(services, bound);
        }

        return verdict.Problems.Count == 0 ? verdict : throw new ConfigurationException(verdict.Problems);
    }

    internal sealed record Verdict(ScriptHarnessOptions Options, IScriptEngineFactory? Engine, IReadOnlyList<ToolDefinition> Tools, IReadOnlyList<string> Problems);

    private static Verdict Check(IServiceProvider services, ScriptHarnessOptions bound)
    {
        var registrations = services.GetServices<ScriptHarnessRegistration>().ToList();
        var problems = new List<string>();
        var unused = new List<string>();
        foreach (var configuration in registrations.Select(r => r.Configuration).OfType<IConfiguration>())
        {
            var reading = ScriptHarnessConfiguration.Read(configuration);
            problems.AddRange(reading.Problems);
            unused.AddRange(reading.Unused);
        }

        var options = ScriptHarnessRegistration.Configure(registrations, bound);
        problems.AddRange(options.Validate());

        IScriptEngineFactory? engine = null;
        if (!string.IsNullOrWhiteSpace(options.Engine) && Engines(services, problems) is { } engines)
        {
            engine = EngineSelector.Find(engines, options.Engine);
            var problem = engine is null
                ? EngineSelector.NotRegistered(engines, options.Engine)
                : EngineSelector.IsolationProblem(engine, options, services.GetService<IEngineIsolator>());
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        List<ToolDefinition> tools = [.. services.GetServices<ToolSet>().SelectMany(s => s.Tools), .. services.GetServices<ToolDefinition>()];
        problems.AddRange(tools.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"Tool '{g.Key}' is added {g.Count()} times (by AddTool or AddToolSet, in one or more AddScriptHarness calls); each name must be unique"));

        if (unused.Count > 0 && services.GetService<ILoggerFactory>() is { } loggers)
        {
            LogUnused(loggers.CreateLogger<ScriptHarnessSetup>(), string.Join(", ", unused));
        }

        return new Verdict(options, engine, tools, problems);
    }

    // An engine checks its own options when it is built (IEngineOptions.Validate); its problems join the others, and a
    // value in Engines:… that does not convert is one more problem.
    private static List<IScriptEngineFactory>? Engines(IServiceProvider services, List<string> problems)
    {
        try
        {
            return [.. services.GetServices<IScriptEngineFactory>()];
        }
        catch (ConfigurationException ex)
        {
            problems.AddRange(ex.Problems);
        }
        catch (OptionsValidationException ex)
        {
            // Options bound from Engines:{name} and read through IOptions (EngineOptionsValidation).
            problems.AddRange(ex.Failures);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration keys that no ScriptHarness setting reads were ignored: {Keys}")]
    private static partial void LogUnused(ILogger logger, string keys);
}
