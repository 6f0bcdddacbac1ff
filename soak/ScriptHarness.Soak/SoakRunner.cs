using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Soak;

/// <summary>Settings of one soak run.</summary>
internal sealed record SoakSettings(int Replies, int Parallel, int ReportEvery, int Seed, IReadOnlyList<ReplyKind> Kinds);

/// <summary>What one target's run ended with, for the closing table.</summary>
internal sealed record SoakResult(string Target, SoakTally Tally, TimeSpan Elapsed, long PeakRssBytes, int PeakThreads, int EndThreads)
{
    /// <summary>Child processes (workers) still alive after the engine was disposed; -1 where they cannot be counted.</summary>
    public int ChildrenLeft { get; init; }
}

/// <summary>Runs the replies through one pipeline on one target, <see cref="SoakSettings.Parallel"/> replies at once.</summary>
internal static class SoakRunner
{
    // Short limits: the failure kinds end within a second, so 10,000 replies take minutes, not hours. The time limit
    // leaves room for the memory bomb to reach its limit on a loaded 2-core machine (V8 samples its heap).
    public static ScriptHarnessOptions Options { get; } = new()
    {
        MaxParallelScripts = 2,
        Limits = ScriptLimits.Default with
        {
            Timeout = TimeSpan.FromSeconds(1),
            MemoryBytes = 32L * 1024 * 1024,
            MaxReturnValueBytes = 128 * 1024,
            ToolTimeout = TimeSpan.FromSeconds(5),
        },
    };

    public static async Task<SoakResult> RunAsync(SoakTarget target, SoakSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var engine = target.Create();
        SoakResult result;
        try
        {
            result = await RunAsync(target, engine, settings, log, cancellationToken);
        }
        finally
        {
            // The next target starts clean: an engine's threads end, a process engine's workers exit.
            if (engine is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (engine is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        return result with { ChildrenLeft = await ChildrenLeftAsync() };
    }

    // A disposed process engine has killed its workers; the kernel may take a moment to reap them.
    private static async Task<int> ChildrenLeftAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        var left = Children();
        for (var wait = 0; left > 0 && wait < 50; wait++)
        {
            await Task.Delay(100);
            left = Children();
        }

        return left;
    }

    private static int Children()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // /proc/PID/stat: "PID (comm) state PPID ..."; comm may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && fields[1] == self && fields[0] != "Z")
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Not a process, or it ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    private static async Task<SoakResult> RunAsync(SoakTarget target, IScriptEngineFactory engine, SoakSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var tally = new SoakTally();
        using var pipeline = new HarnessPipeline(Options with { Engine = engine.Name }, engine, Tools(), FixedApprovalService.ApproveAll);
        var random = new Random(settings.Seed);
        var replies = Enumerable.Range(0, settings.Replies)
            .Select(i => SoakReply.Create(i, settings.Kinds[random.Next(settings.Kinds.Count)], random))
            .ToList();

        // Not counted: the first runs JIT-compile the engine and the pipeline, and on a loaded 2-core machine a cold
        // plain return can outlast the 1 s limit (seen: 2 of the first 8 on Jint at load 34).
        await Task.WhenAll(Enumerable.Range(0, settings.Parallel).Select(async w =>
        {
            var warm = SoakReply.Create(-1 - w, ReplyKind.ToolHeavy, new Random(w));
            await foreach (var item in pipeline.RunAsync(warm.Text, cancellationToken: cancellationToken))
            {
                _ = item;
            }
        }));

        var clock = Stopwatch.StartNew();
        long peakRss = 0;
        var peakThreads = 0;
        var next = -1;
        var done = 0;
        var reportLock = new object();

        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < replies.Count)
            {
                var reply = replies[i];
                try
                {
                    var items = new List<ResponseItem>();
                    await foreach (var item in pipeline.RunAsync(reply.Text, cancellationToken: cancellationToken))
                    {
                        items.Add(item);
                    }

                    tally.Add(reply, items);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    tally.AddThrown(reply, ex);
                }

                var finished = Interlocked.Increment(ref done);
                if (finished % settings.ReportEvery == 0 || finished == replies.Count)
                {
                    lock (reportLock)
                    {
                        var (rss, threads) = ProcessReading();
                        peakRss = Math.Max(peakRss, rss);
                        peakThreads = Math.Max(peakThreads, threads);
                        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{target.Name,-12} {finished,6}/{replies.Count} lost {tally.Lost} duplicated {tally.Duplicated} reordered {tally.Reordered} wrong-code {tally.WrongCode} rss {rss / (1024 * 1024)} MiB threads {threads} elapsed {clock.Elapsed.TotalSeconds:F1} s"));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, settings.Parallel).Select(_ => Task.Run(Worker, cancellationToken)));
        var (_, endThreads) = ProcessReading();
        return new SoakResult(target.Name, tally, clock.Elapsed, peakRss, peakThreads, endThreads);
    }

    private static (long Rss, int Threads) ProcessReading()
    {
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, process.Threads.Count);
    }

    private static ToolRegistry Tools()
    {
        var any = new JsonObject { ["type"] = "object" };
        return new ToolRegistry(
        [
            new ToolDefinition("t.echo", "returns its arguments", (JsonObject)any.DeepClone(), (args, _, _) => ValueTask.FromResult(args?.DeepClone()))
            {
                NonBlocking = true,
            },
            new ToolDefinition("t.delay", "waits ms", (JsonObject)any.DeepClone(), async (args, _, ct) =>
            {
                var ms = args!["ms"]!.GetValue<int>();
                await Task.Delay(ms, ct);
                return new JsonObject { ["ms"] = ms };
            })
            {
                NonBlocking = true,
            },
            new ToolDefinition("t.fail", "always fails", (JsonObject)any.DeepClone(), (_, _, _) => throw ToolException.Execution("it failed on purpose"))
            {
                NonBlocking = true,
            },
        ]);
    }
}
