using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// A script's deadline: its time limit from the moment it started, moved by the time it spent waiting for people
/// (<see cref="IToolBridge.PausedTime"/>, approvals). Read from a <see cref="TimeProvider"/>, so a test can move it.
/// </summary>
public sealed class ScriptDeadline
{
    private readonly TimeSpan _timeout;
    private readonly IToolBridge _tools;
    private readonly long _start;

    /// <summary>Starts the clock now.</summary>
    /// <param name="timeout">The script's time limit.</param>
    /// <param name="tools">The run's bridge, whose paused time moves the deadline.</param>
    /// <param name="time">The clock (the system clock when null).</param>
    public ScriptDeadline(TimeSpan timeout, IToolBridge tools, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _timeout = timeout;
        _tools = tools;
        Time = time ?? TimeProvider.System;
        _start = Time.GetTimestamp();
    }

    /// <summary>The clock the deadline reads.</summary>
    public TimeProvider Time { get; }

    /// <summary>Time since the script started, approvals included.</summary>
    public TimeSpan Elapsed => Time.GetElapsedTime(_start);

    /// <summary>Time left before the deadline; zero or less once past it.</summary>
    public TimeSpan Remaining => _timeout + _tools.PausedTime - Elapsed;

    /// <summary>Whether the deadline has passed.</summary>
    public bool IsPast => Remaining <= TimeSpan.Zero;
}
