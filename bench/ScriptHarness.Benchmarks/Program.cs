using System.Globalization;
using BenchmarkDotNet.Running;
using ScriptHarness.Benchmarks.Benchmarks;
using ScriptHarness.Benchmarks.Compact;
using ScriptHarness.Benchmarks.Report;

namespace ScriptHarness.Benchmarks;

/// <summary>
/// <code>
/// bdn [BenchmarkDotNet arguments]      the BenchmarkDotNet suite (dotnet build -t:Bench runs it with --filter *)
/// compact [--out FILE] [--workloads W1,W3,...] [--anchors ours-jint,...] [--quick]
///                                      our workloads with bench.mjs's ids and method, each in a child process; JSONL
/// report --anchors FILE --ours FILE --out FILE [--readme FILE]
///                                      the comparison table (markdown), optionally copied into the README's bench markers
/// </code>
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: ScriptHarness.Benchmarks bdn [BenchmarkDotNet arguments, e.g. --filter *]
               ScriptHarness.Benchmarks compact [--out FILE] [--workloads W1,W3,...] [--anchors ours-jint,jint-raw,ours] [--quick]
               ScriptHarness.Benchmarks report --anchors FILE --ours FILE --out FILE [--readme FILE]
        """;

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "bdn":
                var summaries = BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(rest);
                return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
            case "--child" when rest.Length == 3:
                return await CompactRunner.RunChildAsync(new Pair(rest[0], rest[1], rest[2]));
            case "compact":
                var compact = Options(rest);
                if (compact.ContainsKey("quick"))
                {
                    Environment.SetEnvironmentVariable("BENCH_QUICK", "1"); // inherited by the children
                }

                return await CompactRunner.RunParentAsync(
                    compact.GetValueOrDefault("out") ?? Path.Combine("artifacts", "bench", "ours.jsonl"),
                    Set(compact.GetValueOrDefault("workloads")),
                    Set(compact.GetValueOrDefault("anchors")));
            case "report":
                var report = Options(rest);
                if (report.GetValueOrDefault("ours") is not { } oursFile || report.GetValueOrDefault("out") is not { } outFile)
                {
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
                }

                var table = ComparisonReport.Build(Results.Load(report.GetValueOrDefault("anchors")), Results.Load(oursFile));
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
                await File.WriteAllTextAsync(outFile, "# Speed: ScriptHarness next to the JavaScript sandboxes\n\n" + table);
                await Console.Out.WriteLineAsync(table);
                if (report.GetValueOrDefault("readme") is { } readme && !ComparisonReport.UpdateReadme(readme, table))
                {
                    await Console.Error.WriteLineAsync($"{readme} has no {ComparisonReport.BeginMarker} … {ComparisonReport.EndMarker} markers");
                    return 1;
                }

                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static Dictionary<string, string?> Options(string[] args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? args[++i] : null;
        }

        return options;
    }

    private static HashSet<string>? Set(string? list) => list is null ? null : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries)];
}
