using Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The script's call stack, measured in bytes of the sandbox thread's stack and checked by Jint between statements.
/// Jint counts the frames of function calls (<c>LimitRecursion</c>), but not the routes that reach script code from
/// inside the engine — a <c>valueOf</c> met by a conversion, a Proxy trap, a getter — so recursion through them ran on
/// until Jint's stack guard threw a catchable <c>RangeError</c> near the end of the thread's stack, and every level
/// then unwound it again: 2–3 s of one core, past the script's deadline, for a two-line script. This ends it at a
/// depth that frames within the call depth limit never reach, with <c>recursion_limit</c> (uncatchable, like the
/// memory budget), in tens of milliseconds.
/// <para>
/// The budget is also bounded by what unwinding needs. Jint suspends generators and awaits with exceptions, and its
/// <c>yield*</c>, <c>await</c> and destructuring frames catch every exception to tidy up and throw it again; each such
/// rethrow nests one more exception dispatch (~10–40 KiB) on the stack, none reclaimed until the unwinding ends. A
/// limit met ~1,650 async <c>yield*</c> delegations deep (2 MiB of the script's own frames) raised the process's peak
/// memory by ~55 MiB on the way out, almost all of it stack: past a 16 MiB stack, a .NET stack overflow, which no
/// handler can catch, and the host process was gone.
/// So the script may take at most 1/<see cref="UnwindingRatio"/> of the thread's stack, and the rest is there for the
/// unwinding.
/// </para>
/// </summary>
/// <remarks>Must be created on the thread that runs the script: its depth is measured from where it was made.</remarks>
internal sealed unsafe class ScriptStackConstraint : Constraint
{
    // Stack a script's frame may take on average: a plain call takes ~2 KiB of Jint's interpreter, a call through a
    // built-in that calls back (map, sort, a getter) up to ~6 KiB.
    private const long BytesPerFrame = 8 * 1024;

    // The most stack a script may take, as a fraction of the thread's: the worst unwinding measured (async yield*
    // delegation) touched ~28 times the script's own frames, so this leaves more than twice that for it.
    internal const int UnwindingRatio = 64;

    // Routes Jint does not count as calls take several KiB a level, so even a small depth limit keeps this much.
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

    /// <summary>
    /// The budget for <paramref name="limits"/> on a thread of <paramref name="threadStackBytes"/>: 8 KiB a frame of the
    /// depth limit, at least 1 MiB, and never more than 1/<see cref="UnwindingRatio"/> of the thread's stack.
    /// </summary>
    public static long BudgetFor(ScriptLimits limits, long threadStackBytes) =>
        Math.Min(Math.Max(limits.MaxRecursionDepth * BytesPerFrame, MinimumBudget), threadStackBytes / UnwindingRatio);

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
