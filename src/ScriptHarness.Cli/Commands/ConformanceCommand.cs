using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Conformance;
using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Reporting;
using ScriptHarness.Conformance.Running;
using ScriptHarness.Engines.Process;
using ScriptHarness.Hosting;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Commands;

/// <summary>
/// <c>scriptharness conformance</c>: runs the conformance catalogue on the engines, each in its isolation modes (a
/// column per engine and mode: <c>jint (in-process)</c>, <c>jint (process)</c>, <c>v8 (process)</c>,
/// <c>v8 (in-process)</c>, the engine's default mode first), prints failures as they happen and a summary line per
/// column, and writes <c>report.md</c> and <c>report.json</c>. Exit 0 when every scenario passed or was skipped, 1 when
/// any failed, 2 on bad usage, 3 when an engine named with <c>--engine</c> cannot run here (with <c>all</c>, such an
/// engine's scenarios are skipped, saying why). On a terminal, stderr shows where the run is.
/// </summary>
internal static class ConformanceCommand
{
    private const string InProcess = "in-process";
    private const string Process = "process";

    /// <summary>
    /// As many warm workers as the harness runs scripts of one reply at once (MaxParallelScripts, 4): scenarios such as
    /// TOOL-016 hold that scripts stuck in a tool do not hold up the others, which needs a worker each.
    /// </summary>
    private static readonly ProcessIsolationOptions Workers = new() { MinWorkers = 4, MaxWorkers = 4 };

    public static Command Create()
    {
        var engines = new Option<string[]>("--engine")
        {
            Description = $"Engines to run: all (default), or one or more of {string.Join(", ", CliEngines.Names)}.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["all"],
            HelpName = "all|NAME...",
        };
        var isolation = CliOptions.OneOf(
            new Option<string>("--isolation")
            {
                Description = "Isolation modes to run each engine in: all (default), in-process or process.",
                DefaultValueFactory = _ => "all",
                HelpName = "all|in-process|process",
            },
            "all", InProcess, Process);
        var filter = new Option<string?>("--filter") { Description = "Only scenarios whose id starts with this prefix, e.g. SEC- or PROM-00.", HelpName = "ID-PREFIX" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for report.md and report.json (default: artifacts/conformance).", HelpName = "DIR" };
        var command = new Command("conformance", "Run the conformance scenarios on every engine and write the engine × scenario report.") { engines, isolation, filter, output };
        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(
            () => ExecuteAsync(parse.GetValue(engines) ?? ["all"], parse.GetValue(isolation) ?? "all", parse.GetValue(filter), parse.GetValue(output), cancellationToken)));
        return command;
    }

    private static async Task<int> ExecuteAsync(
        string[] engineNames, string isolation, string? filter, DirectoryInfo? output, CancellationToken cancellationToken)
    {
        var scenarios = filter is null ? ConformanceCatalogue.All : ConformanceCatalogue.Matching(filter);
        if (scenarios.Count == 0)
        {
            throw new CliUsageException($"no scenario id starts with '{filter}'");
        }

        var services = new ServiceCollection();
        CliEngines.AddAll(services);
        await using var provider = services.BuildServiceProvider();
        var all = IsAll(engineNames);
        var chosen = new List<ConformanceEngine>();
        var workers = new List<ProcessScriptEngineFactory>();
        try
        {
            foreach (var factory in Choose(provider.GetServices<IScriptEngineFactory>().ToList(), engineNames))
            {
                // An engine that does not load would fail every scenario with harness_internal: say so once instead.
                if (await EngineProbe.FailureAsync(factory, null, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    if (!all)
                    {
                        throw new EngineUnavailableException($"engine '{factory.Name}' cannot run on this machine: {failure}");
                    }

                    var skipped = $"scriptharness: engine '{factory.Name}' cannot run on this machine, its scenarios are skipped: {failure}";
                    await Console.Error.WriteLineAsync(skipped.AsMemory(), cancellationToken).ConfigureAwait(false);
                    chosen.AddRange(Modes(factory, isolation).Select(mode =>
                        ConformanceEngine.Unavailable(Column(factory, mode), $"the engine cannot run on this machine: {failure}")));
                    continue;
                }

                foreach (var mode in Modes(factory, isolation))
                {
                    chosen.Add(mode == InProcess
                        ? ConformanceEngine.Available(factory, Column(factory, mode))
                        : await InWorkersAsync(factory, workers, all, cancellationToken).ConfigureAwait(false));
                }
            }

            var results = new List<ConformanceResult>();
            var progress = Console.IsErrorRedirected ? null : new ConformanceProgress(Console.Error);
            foreach (var engine in chosen)
            {
                results.AddRange(await RunEngineAsync(engine, scenarios, progress, cancellationToken).ConfigureAwait(false));
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
        finally
        {
            foreach (var pool in workers)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The isolation modes to run <paramref name="engine"/> in, its default first.</summary>
    private static IEnumerable<string> Modes(IScriptEngineFactory engine, string isolation)
    {
        if (isolation != "all")
        {
            return [isolation];
        }

        return EngineSelector.DefaultIsolation(engine) == EngineIsolation.Process ? [Process, InProcess] : [InProcess, Process];
    }

    private static string Column(IScriptEngineFactory engine, string mode) => $"{engine.Name} ({mode})";

    /// <summary>
    /// The engine in worker processes, as a column; a worker that does not start (not built next to the CLI, say) makes
    /// the column skipped with the reason with <c>--engine all</c>, as an engine that does not load does, and exit 3 when
    /// the engine was named.
    /// </summary>
    private static async Task<ConformanceEngine> InWorkersAsync(
        IScriptEngineFactory engine, List<ProcessScriptEngineFactory> workers, bool all, CancellationToken cancellationToken)
    {
        var column = Column(engine, Process);
        string? failure;
        try
        {
            var pool = new ProcessScriptEngineFactory(engine, Workers);
            workers.Add(pool);
            failure = await EngineProbe.FailureAsync(pool, null, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return ConformanceEngine.Available(pool, column);
            }
        }
        catch (ConfigurationException ex)
        {
            failure = string.Join("; ", ex.Problems);
        }

        if (!all)
        {
            throw new EngineUnavailableException($"engine '{engine.Name}' cannot run in worker processes (isolation process): {failure}");
        }

        var skipped = $"scriptharness: engine '{engine.Name}' cannot run in worker processes, its process scenarios are skipped: {failure}";
        await Console.Error.WriteLineAsync(skipped.AsMemory(), cancellationToken).ConfigureAwait(false);
        return ConformanceEngine.Unavailable(column, $"the engine cannot run in worker processes here: {failure}");
    }

    private static async Task<IReadOnlyList<ConformanceResult>> RunEngineAsync(
        ConformanceEngine engine, IReadOnlyList<ConformanceScenario> scenarios, ConformanceProgress? progress, CancellationToken cancellationToken)
    {
        if (engine.Factory is null)
        {
            return [.. scenarios.Select(s => ConformanceResult.Skipped(s, engine.Name, engine.UnavailableReason!))];
        }

        // Failures are printed the moment they happen; a synchronous reporter keeps them in order.
        var done = 0;
        var failed = 0;
        progress?.Show(engine.Name, 0, scenarios.Count, 0);
        var reporter = new Reporter(r =>
        {
            done++;
            if (r.Status == ConformanceStatus.Fail)
            {
                failed++;
                progress?.Clear();
                Console.Out.WriteLine(r.ToString());
            }

            progress?.Show(engine.Name, done, scenarios.Count, failed);
        });
        try
        {
            return await new ConformanceRunner(engine.Factory, engine.Name).RunAllAsync(scenarios, reporter, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress?.Clear();
        }
    }

    private static bool IsAll(string[] names) =>
        names.Length == 0 || names.Any(n => string.Equals(n, "all", StringComparison.OrdinalIgnoreCase));

    private static List<IScriptEngineFactory> Choose(List<IScriptEngineFactory> known, string[] names)
    {
        if (IsAll(names))
        {
            return known;
        }

        var knownNames = known.Select(e => e.Name).ToList();
        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase).Select(name =>
            known.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliUsageException($"unknown engine '{name}' (known: all, {string.Join(", ", knownNames)}){UsageErrors.DidYouMean(name, knownNames)}"))];
    }

    private sealed class Reporter(Action<ConformanceResult> report) : IProgress<ConformanceResult>
    {
        public void Report(ConformanceResult value) => report(value);
    }
}
