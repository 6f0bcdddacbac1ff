using Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The script's call stack, measured in bytes of the sandbox thread's stack and checked by Jint between statements.
/// Jint counts the frames of function calls (<c>LimitRecursion</c>), but not the routes that reach script code from
/// inside the engine — a <c>valueOf</c> met by a conversion, a Proxy trap, a getter — so recursion through them ran on
/// until Jint's stack guard threw a catchable <c>RangeError</c> near the end of the thread's 16 MiB, and every level
/// then unwound it again: 2–3 s of one core, past the script's deadline, for a two-line script. This ends it at a
/// depth that frames within the call depth limit never reach, with <c>recursion_limit</c> (uncatchable, like the
/// memory budget), in tens of milliseconds.
/// </summary>
/// <remarks>Must be created on the thread that runs the script: its depth is measured from where it was made.</remarks>
internal sealed unsafe class ScriptStackConstraint : Constraint
{
    // Stack a script's frame may take on average: a plain call takes ~2 KiB of Jint's interpreter, a call through a
    // built-in that calls back (map, sort, a getter) up to ~6 KiB.
    private const long BytesPerFrame = 8 * 1024;

    // What is left below the budget for the host's own frames (the run loop, a tool call's marshalling, the unwinding).
    private const long Margin = 2 * 1024 * 1024;

    private const long MinimumBudget = 1024 * 1024;

    private readonly nint _base;

    /// <param name="budgetBytes">How deep below this constructor's frame the script may take the stack.</param>
    public ScriptStackConstraint(long budgetBytes)
    {
        BudgetBytes = budgetBytes;
        byte here = 0;
        _base = (nint)(&here);
    }

    /// <summary>How deep the script may take the stack, in bytes.</summary>
    public long BudgetBytes { get; }

    /// <summary>The budget for <paramref name="limits"/> on a thread of <paramref name="threadStackBytes"/>.</summary>
    public static long BudgetFor(ScriptLimits limits, long threadStackBytes) =>
        Math.Max(Math.Min(limits.MaxRecursionDepth * BytesPerFrame, threadStackBytes - Margin), Math.Min(MinimumBudget, threadStackBytes / 2));

    public override void Check()
    {
        // The stack grows down on every platform .NET runs on.
        byte here = 0;
        if (_base - (nint)(&here) > BudgetBytes)
        {
            throw new ScriptStackExceededException();
        }
    }

    public override void Reset()
    {
        // The depth is measured from the run's start, whatever enters the engine.
    }
}

/// <summary>Thrown by <see cref="ScriptStackConstraint"/>; the script's <c>catch</c> never sees it.</summary>
internal sealed class ScriptStackExceededException() : Exception("the script exceeded its call stack budget");
