using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Conformance.Tools;

/// <summary>
/// What the conformance tools of one scenario run saw, thread-safe: which handlers ran, the arguments they got,
/// how many slow calls were in flight at once, and how they ended. A fresh probe per scenario run.
/// </summary>
public sealed class ConformanceProbe
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _recorded = new();
    private int _inFlight;
    private int _peak;
    private int _cancelled;
    private int _completed;

    /// <summary>Arguments <c>conf.record</c> received, as JSON text, in arrival order.</summary>
    public IReadOnlyList<string> Recorded => [.. _recorded];

    /// <summary><c>conf.slow</c> calls running right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most <c>conf.slow</c> calls that ever ran at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peak);

    /// <summary><c>conf.slow</c> calls stopped by cancellation before they finished.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary><c>conf.slow</c> calls that waited their full time.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>How many times the handler of <paramref name="tool"/> ran (validation or approval failures never count).</summary>
    public int HandlerRuns(string tool) => _runs.GetValueOrDefault(tool);

    /// <summary>Waits until no <c>conf.slow</c> call is in flight, or <paramref name="limit"/> has passed.</summary>
    public async Task WaitIdleAsync(TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var start = time.GetTimestamp();
        while (InFlight > 0 && time.GetElapsedTime(start) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The harness the scenario runs on, where <c>conf.nested</c> runs its replies; set by the runner.</summary>
    internal IScriptHarness? Harness { get; set; }

    internal void Ran(string tool) => _runs.AddOrUpdate(tool, 1, static (_, n) => n + 1);

    internal int Record(JsonNode? arguments)
    {
        _recorded.Enqueue(arguments?.ToJsonString() ?? "null");
        return _recorded.Count;
    }

    internal void Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peak);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    internal void Leave(bool completed)
    {
        if (completed)
        {
            Interlocked.Increment(ref _completed);
        }
        else
        {
            Interlocked.Increment(ref _cancelled);
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
