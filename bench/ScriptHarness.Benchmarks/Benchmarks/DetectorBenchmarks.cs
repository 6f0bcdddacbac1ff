using BenchmarkDotNet.Attributes;
using ScriptHarness.Benchmarks.Workloads;
using ScriptHarness.Detection;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>The detector over a 10 MB reply with scattered blocks: whole string and streamed; the MB/s column is 10 MB / mean.</summary>
[MemoryDiagnoser]
[Config(typeof(MegabytesPerSecondConfig))]
public class DetectorBenchmarks
{
    private string _reply = null!;
    private string[] _chunks64 = null!;
    private string[] _chunks4 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reply = DetectorReply.Build();
        _chunks64 = DetectorReply.Chunks(_reply, 64);
        _chunks4 = DetectorReply.Chunks(_reply, 4);
    }

    [Benchmark(Description = "ToolCallDetector.Detect (whole reply)")]
    public int Whole() => ToolCallDetector.Detect(_reply).Count;

    [Benchmark(Description = "StreamingToolCallDetector, 64-char chunks")]
    public Task<int> Stream64() => CountAsync(_chunks64);

    [Benchmark(Description = "StreamingToolCallDetector, 4-char chunks")]
    public Task<int> Stream4() => CountAsync(_chunks4);

    private static async Task<int> CountAsync(string[] chunks)
    {
        var n = 0;
        await foreach (var _ in StreamingToolCallDetector.DetectAsync(DetectorReply.Stream(chunks)))
        {
            n++;
        }

        return n;
    }
}
