using System.Globalization;
using ScriptHarness.Soak;

// dotnet run --project soak/ScriptHarness.Soak -- [--replies N] [--parallel N] [--every N] [--seed N] [--targets jint,v8]
//   [--kinds Ok,ToolHeavy,CaughtFailure,SyntaxError,Timeout,MemoryBomb,NeverSettling,HugeReturn,DeepUnwinding]
// Exits 1 when any reply lost, duplicated or reordered an item or gave a wrong code on any target, 2 on bad arguments.
var replies = 10_000;
var parallel = 8;
var every = 1_000;
var seed = 13;
string[]? only = null;
var kinds = Enum.GetValues<ReplyKind>().ToList();
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--replies" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: replies = n; i++; break;
        case "--parallel" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: parallel = n; i++; break;
        case "--every" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: every = n; i++; break;
        case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var n): seed = n; i++; break;
        case "--targets" when value is not null: only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); i++; break;
        case "--kinds" when value is not null:
            kinds = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => Enum.Parse<ReplyKind>(k, ignoreCase: true))];
            i++;
            break;
        default:
            Console.Error.WriteLine($"soak: unknown or invalid argument '{args[i]}'");
            return 2;
    }
}

var targets = SoakTargets.All.Where(t => only is null || only.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).ToList();
if (targets.Count == 0)
{
    Console.Error.WriteLine($"soak: no target matches; known: {string.Join(", ", SoakTargets.All.Select(t => t.Name))}");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var settings = new SoakSettings(replies, parallel, every, seed, kinds);
Console.WriteLine($"soak: {replies} replies per target, {parallel} at once, seed {seed}, targets {string.Join(", ", targets.Select(t => t.Name))}");
var results = new List<SoakResult>();
foreach (var target in targets)
{
    results.Add(await SoakRunner.RunAsync(target, settings, Console.Out, cts.Token));
}

Console.WriteLine();
Console.WriteLine("| target | replies | lost | duplicated | reordered | wrong code | stopped by time instead | peak RSS (MiB) | peak threads | threads at end | processes left | time (s) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Target} | {r.Tally.Replies} | {r.Tally.Lost} | {r.Tally.Duplicated} | {r.Tally.Reordered} | {r.Tally.WrongCode} | {r.Tally.Starved} | {r.PeakRssBytes / (1024 * 1024)} | {r.PeakThreads} | {r.EndThreads} | {(r.ChildrenLeft < 0 ? "–" : r.ChildrenLeft)} | {r.Elapsed.TotalSeconds:F1} |"));
}

foreach (var r in results.Where(r => r.Tally.Samples.Count > 0))
{
    Console.WriteLine($"{r.Target}: first problems:");
    foreach (var line in r.Tally.Samples)
    {
        Console.WriteLine("  " + line);
    }
}

var failed = results.Any(r => r.Tally.Failures > 0 || r.ChildrenLeft > 0);
Console.WriteLine(failed ? "soak: FAILED (lost, duplicated, reordered or wrong-code items, or processes left, above)" : "soak: passed");
return failed ? 1 : 0;
