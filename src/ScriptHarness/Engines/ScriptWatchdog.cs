using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The host-side watchdog of one run. The engine enforces the deadline itself; this only catches an engine thread
/// stuck where the engine cannot check (a single huge native operation). Time waiting for a free thread does not
/// count (the clock starts at <see cref="Started"/>), nor does time waiting for a person's approval.
/// </summary>
/// <param name="slack">How far past the script's deadline the engine may run before it is written off.</param>
/// <param name="time">The clock (the system clock when null).</param>
public sealed class ScriptWatchdog(TimeSpan slack, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _started;

    /// <summary>The run has started on its engine thread: from now on it is watched.</summary>
    public void Started() => Volatile.Write(ref _started, Math.Max(1, _time.GetTimestamp()));

    /// <summary>
    /// The run's result, or — when it has run past its deadline plus the slack — a <c>timeout</c> that retires the
    /// runtime, after <paramref name="writeOff"/> has given the stuck thread up.
    /// </summary>
    /// <param name="run">Completes with the run's result.</param>
    /// <param name="limits">The script's limits.</param>
    /// <param name="tools">The run's bridge, whose paused time moves the deadline.</param>
    /// <param name="writeOff">Gives up the engine thread (stops its work where it can, and replaces it).</param>
    public async ValueTask<EngineResult> WaitAsync(Task<EngineResult> run, ScriptLimits limits, IToolBridge tools, Action writeOff)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(writeOff);
        while (true)
        {
            var left = Left(limits, tools, out _);
            try
            {
                return await run.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Still queued behind other scripts, or the deadline moved (an approval wait): keep waiting.
                if (Volatile.Read(ref _started) == 0 || Left(limits, tools, out var elapsed) > TimeSpan.Zero)
                {
                    continue;
                }

                writeOff();
                return EngineResult.Failure(EngineErrors.Timeout(limits)) with { Duration = elapsed, RetireRuntime = true };
            }
        }
    }

    private TimeSpan Left(ScriptLimits limits, IToolBridge tools, out TimeSpan elapsed)
    {
        var started = Volatile.Read(ref _started);
        elapsed = started == 0 ? TimeSpan.Zero : _time.GetElapsedTime(started);
        return limits.Timeout + tools.PausedTime + slack - elapsed;
    }
}
