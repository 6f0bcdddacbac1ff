using System.Diagnostics;
using Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The script's wall-clock limit, checked by Jint between statements. Unlike Jint's own time constraint it is
/// measured from the script's start across every continuation, and it pauses while a person is deciding on an
/// approval (<see cref="IToolBridge.PausedTime"/>).
/// </summary>
internal sealed class ScriptDeadlineConstraint(long startTimestamp, TimeSpan timeout, IToolBridge tools) : Constraint
{
    public TimeSpan Remaining => timeout + tools.PausedTime - Stopwatch.GetElapsedTime(startTimestamp);

    // Checked every few statements rather than each one, like Jint's own time constraint: reading the clock per
    // statement cost fib(25) about 50%.
    public override bool IsAmortizable => true;

    public override void Check()
    {
        if (Remaining <= TimeSpan.Zero)
        {
            throw new TimeoutException();
        }
    }

    public override void Reset()
    {
        // The deadline runs from the script's start, not from each engine entry.
    }
}
