using Jint;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The script's deadline (<see cref="ScriptDeadline"/>), checked by Jint between statements. Unlike Jint's own time
/// constraint it is measured from the script's start across every continuation, and it pauses while a person is
/// deciding on an approval.
/// </summary>
internal sealed class ScriptDeadlineConstraint(ScriptDeadline deadline) : Constraint
{
    // Checked every few statements rather than each one, like Jint's own time constraint: reading the clock per
    // statement cost fib(25) about 50%.
    public override bool IsAmortizable => true;

    public override void Check()
    {
        if (deadline.IsPast)
        {
            throw new TimeoutException();
        }
    }

    public override void Reset()
    {
        // The deadline runs from the script's start, not from each engine entry.
    }
}
