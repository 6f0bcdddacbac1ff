using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Context;
using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>One worker process driven directly: what the host reads of it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkerProcessTests
{
    [Theory]
    [InlineData("2543 1024 512 3 0 700 0\n", 1024)]
    [InlineData("1 77", 77)]
    [InlineData("2543", 0)]
    [InlineData("2543 x 1", 0)]
    [InlineData("", 0)]
    public void ResidentPages_IsStatmsSecondField(string statm, long pages) =>
        Assert.Equal(pages, WorkerProcess.ResidentPages(System.Text.Encoding.ASCII.GetBytes(statm)));

    [Theory]
    [InlineData(256L * 1024 * 1024 + 96L * 1024 * 1024 * 4, 256L * 1024 * 1024, 4, 96L * 1024 * 1024)]
    [InlineData(long.MaxValue, 256L * 1024 * 1024, 4, long.MaxValue)]
    [InlineData(long.MaxValue, 256L * 1024 * 1024, 4, (long.MaxValue / 4) - (64L * 1024 * 1024) + 1)]
    [InlineData(long.MaxValue - 1, long.MaxValue - 1, 1, 0)]
    [InlineData(long.MaxValue, long.MaxValue - 1, 1, 2)]
    public void MemoryCaps_Saturate_InsteadOfWrappingRound(long expected, long baseBytes, int factor, long memoryBytes) =>
        Assert.Equal(expected, MemoryCaps.Over(baseBytes, factor, memoryBytes));

    [Theory]
    [InlineData(96L * 1024 * 1024, 2, 224)]
    [InlineData(long.MaxValue, 2, int.MaxValue)]
    [InlineData(1L << 50, 64, int.MaxValue)]
    public void HeapMegabytes_IsFactorTimesTheLimitPlus32_AtMostWhatTheWorkerReads(long memoryBytes, int factor, int expected) =>
        Assert.Equal(expected, MemoryCaps.HeapMegabytes(factor, memoryBytes));

    [Theory]
    [InlineData("v8")]
    [InlineData("jint")]
    public async Task AMemoryLimitOfLongMaxValue_RunsScripts_LikeNoLimit(string engine)
    {
        // Before, the caps derived from it wrapped round: the V8 worker was killed at its first ordinary allocation
        // ("ran out of memory"), and at 2^62 no worker started.
        var limits = new ScriptLimits { MemoryBytes = long.MaxValue, Timeout = TimeSpan.FromSeconds(20) };
        await using var worker = await WorkerProcess.StartAsync(engine, limits.MemoryBytes, new ProcessIsolationOptions(), TimeProvider.System, CancellationToken.None);
        const string source = "const a = []; for (let i = 0; i < 30; i++) a.push(new Array(100000).fill(i).map(x => ({ x }))); return a.length * a[0].length;";

        var result = await worker.RunAsync(Prepared(source, limits), new ProbeBridge(() => { }), CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(3_000_000, result.Value!.GetValue<int>());
    }

    [Fact]
    public async Task ResidentBytes_ThroughTheHandleOpenedAtStart_FollowsTheWorkersMemory()
    {
        // The memory cap and the recycle check read the worker's RSS through one handle opened at start: each read must
        // see the memory as it is now, not as it was when the handle was opened.
        var limits = new ScriptLimits { MemoryBytes = 256L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        await using var worker = await WorkerProcess.StartAsync("v8", limits.MemoryBytes, new ProcessIsolationOptions(), TimeProvider.System, CancellationToken.None);
        var idle = worker.ResidentBytes();
        Assert.True(idle > 8L * 1024 * 1024, $"an idle worker at {idle} bytes");

        long during = 0;
        var bridge = new ProbeBridge(() => during = worker.ResidentBytes());
        const string source = "const a = new Uint8Array(160 * 1024 * 1024).fill(1); await tools.t.probe({}); return a.length;";
        var result = await worker.RunAsync(Prepared(source, limits), bridge, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.True(during > idle + (100L * 1024 * 1024), $"idle {idle} bytes, then {during} bytes holding 160 MiB");
    }

    [Fact]
    public async Task ARun_CountsInItsPollGateWhileItRuns_AndWithAGateThatAllowsNoPolling_EveryAnswerStillArrives()
    {
        // A gate of no processors: neither the host's reader nor the worker's engine thread may poll, so every answer of
        // the 300 calls is waited for in the kernel on both ends.
        var gate = new PollGate(processors: 0);
        var limits = new ScriptLimits { Timeout = TimeSpan.FromSeconds(30), MaxToolCalls = 300 };
        await using var worker = await WorkerProcess.StartAsync("v8", limits.MemoryBytes, new ProcessIsolationOptions(), TimeProvider.System, CancellationToken.None, gate);
        var running = new List<int>();
        var bridge = new ProbeBridge(() => running.Add(gate.Running));
        const string source = "let n = 0; for (let i = 0; i < 300; i++) { await tools.t.probe({}); n++; } return n;";

        var result = await worker.RunAsync(Prepared(source, limits), bridge, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(300, result.Value!.GetValue<int>());
        Assert.Equal(300, running.Count);
        Assert.All(running, n => Assert.Equal(1, n));
        Assert.Equal(0, gate.Running);
    }

    private static PreparedScript Prepared(string source, ScriptLimits limits) =>
        new(new ParsedScript(source, ScriptHash.OfText(source, System.Text.Encoding.UTF8.GetByteCount(source))) { SizeBytes = source.Length },
            new ScriptContext { ConversationId = "c", SessionId = "s", TurnId = "t", ScriptId = "t/s1", Limits = limits });

    /// <summary>One tool, <c>t.probe</c>, that runs <paramref name="probe"/> while the script waits for it.</summary>
    private sealed class ProbeBridge(Action probe) : IToolBridge
    {
        public IReadOnlyCollection<string> ToolNames => ["t.probe"];

        public TimeSpan PausedTime => TimeSpan.Zero;

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
        {
            probe();
            return ValueTask.FromResult(ToolResult.Success(null));
        }

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
