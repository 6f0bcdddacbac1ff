namespace ScriptHarness.Tools;

/// <summary>
/// Adds up the time a script spends waiting for people. Overlapping waits (approvals of parallel calls) count once.
/// </summary>
internal sealed class PauseClock(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _accumulatedTicks;
    private long _pauseStarted;
    private int _waiting;

    public TimeSpan Paused
    {
        get
        {
            lock (_gate)
            {
                var current = _waiting > 0 ? time.GetElapsedTime(_pauseStarted).Ticks : 0;
                return TimeSpan.FromTicks(_accumulatedTicks + current);
            }
        }
    }

    /// <summary>Starts a wait; disposing the result ends it.</summary>
    public Wait Begin()
    {
        lock (_gate)
        {
            if (_waiting++ == 0)
            {
                _pauseStarted = time.GetTimestamp();
            }
        }

        return new Wait(this);
    }

    private void End()
    {
        lock (_gate)
        {
            if (--_waiting == 0)
            {
                _accumulatedTicks += time.GetElapsedTime(_pauseStarted).Ticks;
            }
        }
    }

    internal readonly struct Wait(PauseClock clock) : IDisposable
    {
        public void Dispose() => clock.End();
    }
}
