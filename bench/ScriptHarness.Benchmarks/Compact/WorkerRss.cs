using System.Globalization;
using ScriptHarness.Engines.Process;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>
/// The resident memory of a Process-isolated engine's workers while a workload runs, apart from the host's own (the
/// child process's VmHWM): every worker's VmHWM, sampled on a thread of its own (the thread pool the host's timing
/// depends on is left alone). VmHWM is a high-water mark, so a sample taken after a spike still sees it; only a worker
/// killed between two samples loses what it grew since the last one.
/// </summary>
internal sealed class WorkerRss
{
    private readonly ProcessScriptEngineFactory _engine;
    private readonly TimeSpan _interval;
    private readonly Dictionary<int, long> _peakKb = [];
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _sampler;

    private WorkerRss(ProcessScriptEngineFactory engine, TimeSpan interval)
    {
        _engine = engine;
        _interval = interval;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "bench worker RSS" };
        _sampler.Start();
    }

    /// <summary>
    /// Starts sampling every <paramref name="interval"/> when <paramref name="factory"/> runs scripts in worker
    /// processes; null otherwise.
    /// </summary>
    public static WorkerRss? Start(IScriptEngineFactory factory, TimeSpan interval) =>
        factory is ProcessScriptEngineFactory p ? new WorkerRss(p, interval) : null;

    /// <summary>Stops sampling (after one last sample) and returns the workers' peak: the largest VmHWM, and how many were seen.</summary>
    public (long PeakKb, int Workers) Stop()
    {
        _stop.Set();
        _sampler.Join();
        SampleOnce();
        lock (_gate)
        {
            return (_peakKb.Values.DefaultIfEmpty(0).Max(), _peakKb.Count);
        }
    }

    private void Sample()
    {
        do
        {
            SampleOnce();
        }
        while (!_stop.Wait(_interval));
    }

    private void SampleOnce()
    {
        foreach (var pid in _engine.Pool.IdleProcessIds().Concat(_engine.Pool.BusyProcessIds()))
        {
            if (HighWaterKb(pid) is { } kb)
            {
                lock (_gate)
                {
                    _peakKb[pid] = Math.Max(kb, _peakKb.GetValueOrDefault(pid));
                }
            }
        }
    }

    private static long? HighWaterKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The worker is gone (killed, recycled): its last sample stands.
        }

        return null;
    }
}
