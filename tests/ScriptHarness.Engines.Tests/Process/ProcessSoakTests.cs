using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>
/// Soak: 10,000 mixed replies through Process isolation on V8 — values, tool calls, thrown errors, time-outs and
/// crashed workers (kill -9 mid-script) — with no lost, duplicated or reordered result, the host's memory flat after
/// warm-up and no worker process or pipe left behind. Long: run by <c>dotnet build tests/ScriptHarness.Tests -t:ProcessSoak</c>, skipped otherwise.
/// </summary>
[Trait("Category", "Soak")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessSoakTests
{
    private const int Replies = 10_000;

    [SkippableFact]
    public async Task TenThousandMixedReplies_InProcessIsolation_NothingLostLeakedOrReordered()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("SCRIPTHARNESS_SOAK") == "1", "soak: run with dotnet build tests/ScriptHarness.Tests -t:ProcessSoak");
        Assert.Empty(WorkerChildren());

        var engine = new ProcessScriptEngineFactory(new V8EngineFactory(), new ProcessIsolationOptions { MinWorkers = 1 });
        var kill = new ToolDefinition("t.kill", "kills the worker running the script", new JsonObject { ["type"] = "object" }, async (_, _, cancellationToken) =>
        {
            // The reply's other block runs at the same time, on the other worker: it must end before the kill, which
            // would take it too (it is done in a few milliseconds; on one worker it waits for this block instead).
            var since = TimeProvider.System.GetTimestamp();
            while (engine.Pool.BusyProcessIds().Count > 1 && TimeProvider.System.GetElapsedTime(since) < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(5, cancellationToken);
            }

            foreach (var pid in engine.Pool.BusyProcessIds())
            {
                using var worker = System.Diagnostics.Process.GetProcessById(pid);
                worker.Kill();
            }

            return null;
        });
        // Two harnesses on the same engine and pool: the time-out scripts get a short limit, the rest the default one (a
        // short limit for every script would time out quick ones on a loaded machine).
        var warmFds = 0;
        var warmStarted = 0;
        var registry = new ToolRegistry([TestTools.Echo(), kill]);
        using var quick = new HarnessPipeline(
            new ScriptHarnessOptions { Engine = "v8", Limits = new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(300) } },
            engine, registry, FixedApprovalService.ApproveAll);
        using (var harness = new HarnessPipeline(new ScriptHarnessOptions { Engine = "v8" }, engine, registry, FixedApprovalService.ApproveAll))
        {
            long warmRss = 0;
            for (var i = 0; i < Replies; i++)
            {
                var (reply, expect) = Reply(i);
                var items = new List<ResponseItem>();
                await foreach (var item in (i % 50 == 7 ? quick : harness).RunAsync(reply))
                {
                    items.Add(item);
                }

                var outcomes = items.OfType<ScriptResultItem>().Select(r => r.Outcome).ToList();
                Assert.Equal([0, 1, 2], items.Select(x => x.Index));
                Assert.Equal(2, outcomes.Count);
                Assert.True(expect(outcomes[0]), $"reply {i}: {outcomes[0].Error?.ToString() ?? outcomes[0].Value?.ToJsonString()}");
                Assert.True(outcomes[1].Value?.GetValue<int>() == i, $"reply {i}, second block: {outcomes[1].Error?.ToString() ?? outcomes[1].Value?.ToJsonString()}");
                if (i == 1_000)
                {
                    GC.Collect();
                    warmRss = Environment.WorkingSet;
                    warmStarted = engine.Pool.Started;

                    // After warm-up the runtime's own descriptors (signal pipe, epoll) exist; live workers hold 3 each.
                    warmFds = Directory.GetFiles("/proc/self/fd").Length;
                }
            }

            GC.Collect();
            Assert.True(Environment.WorkingSet < warmRss + (128L * 1024 * 1024), $"host RSS {Environment.WorkingSet >> 20} MiB after warm-up at {warmRss >> 20} MiB");
        }

        var started = engine.Pool.Started;
        await engine.DisposeAsync();
        await Task.Delay(500);
        Assert.Empty(WorkerChildren());

        // Every worker started after warm-up (each crash replaces one) would leave 3 pipes if they leaked.
        var fds = Directory.GetFiles("/proc/self/fd").Length;
        Assert.True(started - warmStarted >= 10, $"only {started - warmStarted} workers were started after warm-up");
        Assert.True(fds <= warmFds + 4, $"{fds} descriptors open at the end, {warmFds} after warm-up; {started - warmStarted} workers started since");
    }

    private static (string Reply, Func<ScriptOutcome, bool> Expect) Reply(int i)
    {
        // Mostly quick scripts; a time-out every 50th reply and a worker killed mid-script every 500th.
        var (script, expect) = (i % 500, i % 50, i % 3) switch
        {
            (499, _, _) => ("await tools.t.echo({});\nawait tools.t.kill({});\nwhile (true) {}", (Func<ScriptOutcome, bool>)(o => o.Error?.Code == ScriptErrorCode.EngineCrashed && o.PartialResults.Any())),
            (_, 7, _) => ("while (true) {}", o => o.Error?.Code == ScriptErrorCode.Timeout),
            (_, _, 0) => ("null.x;", o => o.Error?.Code == ScriptErrorCode.RuntimeError),
            (_, _, 1) => ($"return (await tools.t.echo({{n: {i}}})).n;", o => o.Value?.GetValue<int>() == i),
            _ => ($"console.log('r{i}'); return 'v{i}';", o => o.Value?.GetValue<string>() == $"v{i}" && o.Logs.Count == 1),
        };
        return ($"<tool-calls>{script}</tool-calls>\n<tool-calls>return {i};</tool-calls>", expect);
    }

    private static List<int> WorkerChildren() =>
        [.. Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsOurWorker(pid))];

    private static bool IsOurWorker(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            return parent == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("ScriptHarness.Engines.Worker", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
