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
            // Engines read this between statements: no lock while nobody is waiting (the usual case).
            if (Volatile.Read(ref _waiting) == 0)
            {
                return TimeSpan.FromTicks(Volatile.Read(ref _accumulatedTicks));
            }

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
            if (_waiting == 0)
            {
                _pauseStarted = time.GetTimestamp();
            }

            Volatile.Write(ref _waiting, _waiting + 1);
        }

        return new Wait(this);
    }

    private void End()
    {
        lock (_gate)
        {
            if (_waiting == 1)
            {
                Volatile.Write(ref _accumulatedTicks, _accumulatedTicks + time.GetElapsedTime(_pauseStarted).Ticks);
            }

            Volatile.Write(ref _waiting, _waiting - 1);
        }
    }

    internal readonly struct Wait(PauseClock clock) : IDisposable
    {
        public void Dispose() => clock.End();
    }
}
