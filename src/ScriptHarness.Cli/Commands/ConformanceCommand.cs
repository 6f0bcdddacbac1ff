using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Conformance;
using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Reporting;
using ScriptHarness.Conformance.Running;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Commands;

/// <summary>
/// <c>scriptharness conformance</c>: runs the conformance catalogue on the engines, prints failures as they happen and
/// a summary line per engine, and writes <c>report.md</c> and <c>report.json</c>. Exit 0 when every scenario passed or
/// was skipped, 1 when any failed, 2 on bad usage.
/// </summary>
internal static class ConformanceCommand
{
    private const string YantraReason = "not available: the YantraJS packages are not served by the package registry";

    public static Command Create()
    {
        var engines = new Option<string[]>("--engine")
        {
            Description = "Engines to run: all (default), or one or more names (jint, yantra).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["all"],
        };
        var filter = new Option<string?>("--filter") { Description = "Only scenarios whose id starts with this prefix, e.g. SEC- or PROM-00." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for report.md and report.json (default: artifacts/conformance)." };
        var command = new Command("conformance", "Run the conformance scenarios on every engine and write the engine × scenario report.") { engines, filter, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await ExecuteAsync(parse.GetValue(engines) ?? ["all"], parse.GetValue(filter), parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException ex)
            {
                await Console.Error.WriteLineAsync("scriptharness: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(string[] engineNames, string? filter, DirectoryInfo? output, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddJintEngine();
        services.AddV8Engine();
        await using var provider = services.BuildServiceProvider();
        var known = provider.GetServices<IScriptEngineFactory>().Select(ConformanceEngine.Available)
            .Append(ConformanceEngine.Unavailable("yantra", YantraReason))
            .ToList();
        var chosen = Choose(known, engineNames);
        var scenarios = filter is null ? ConformanceCatalogue.All : ConformanceCatalogue.Matching(filter);
        if (scenarios.Count == 0)
        {
            throw new CliUsageException($"no scenario id starts with '{filter}'");
        }

        var results = new List<ConformanceResult>();
        foreach (var engine in chosen)
        {
            results.AddRange(await RunEngineAsync(engine, scenarios, cancellationToken).ConfigureAwait(false));
        }

        var report = new ConformanceReport([.. chosen.Select(e => e.Name)], scenarios, results);
        var folder = output?.FullName ?? Path.Combine(Environment.CurrentDirectory, "artifacts", "conformance");
        var written = await report.WriteAsync(folder, cancellationToken).ConfigureAwait(false);
        foreach (var engine in chosen)
        {
            await Console.Out.WriteLineAsync(report.Summary(engine.Name).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync($"report: {string.Join(", ", written)}".AsMemory(), cancellationToken).ConfigureAwait(false);
        return report.Succeeded ? ExitCodes.Ok : ExitCodes.ConformanceFailed;
    }

    private static async Task<IReadOnlyList<ConformanceResult>> RunEngineAsync(
        ConformanceEngine engine, IReadOnlyList<ConformanceScenario> scenarios, CancellationToken cancellationToken)
    {
        if (engine.Factory is null)
        {
            return [.. scenarios.Select(s => ConformanceResult.Skipped(s, engine.Name, engine.UnavailableReason!))];
        }

        // Failures are printed the moment they happen; a synchronous reporter keeps them in order.
        var progress = new Reporter(r =>
        {
            if (r.Status == ConformanceStatus.Fail)
            {
                Console.Out.WriteLine(r.ToString());
            }
        });
        return await new ConformanceRunner(engine.Factory).RunAllAsync(scenarios, progress, cancellationToken).ConfigureAwait(false);
    }

    private static List<ConformanceEngine> Choose(List<ConformanceEngine> known, string[] names)
    {
        if (names.Length == 0 || names.Any(n => string.Equals(n, "all", StringComparison.OrdinalIgnoreCase)))
        {
            return known;
        }

        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase).Select(name =>
            known.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliUsageException($"unknown engine '{name}'; known: all, {string.Join(", ", known.Select(e => e.Name))}"))];
    }

    private sealed class Reporter(Action<ConformanceResult> report) : IProgress<ConformanceResult>
    {
        public void Report(ConformanceResult value) => report(value);
    }
}
