using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScriptHarness.AI.Telemetry;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// What an exporter asks of the telemetry layers: an <see cref="ActivityListener"/> that samples every span
/// (<see cref="ActivitySamplingResult.AllDataAndRecorded"/>) and a <see cref="MeterListener"/> that takes every
/// measurement, of one <see cref="ScriptHarnessTelemetry"/> only (its instances, not its name, so another harness of the
/// same process stays unobserved). Both only count: the cost is the layers' own work, not an exporter's.
/// </summary>
internal sealed class TelemetryListener : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private long _spans;
    private long _measurements;

    public TelemetryListener(ScriptHarnessTelemetry telemetry)
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, telemetry.Source),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, telemetry.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    /// <summary>Spans ended so far.</summary>
    public long Spans => Interlocked.Read(ref _spans);

    /// <summary>Measurements recorded so far.</summary>
    public long Measurements => Interlocked.Read(ref _measurements);

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }
}
