using Jint;
using Jint.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The script's memory limit: bytes allocated on the sandbox thread since the run began (an allocation budget, as
/// Jint's own limit is). Jint's limit restarts its count whenever the host enters the engine, and the run enters it
/// more than once (the script, then the reaction to its promise), so a script could spend a fresh budget after each
/// entry; this one never restarts. Must be created on the thread that runs the script.
/// </summary>
internal sealed class ScriptMemoryConstraint(long limitBytes) : Constraint
{
    private readonly long _start = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>What is left of the budget, in bytes (negative once it is spent). Read on the script's thread only.</summary>
    public long RemainingBytes => limitBytes - (GC.GetAllocatedBytesForCurrentThread() - _start);

    public override void Check()
    {
        if (GC.GetAllocatedBytesForCurrentThread() - _start > limitBytes)
        {
            throw new MemoryLimitExceededException($"the script allocated more than its limit of {limitBytes} bytes");
        }
    }

    public override void Reset()
    {
        // The budget is the whole script's, whatever enters the engine.
    }
}
