namespace ScriptHarness.Tools;

/// <summary>
/// The tool calls every script of one reply may make together, so the per-script budget cannot be multiplied by
/// writing more blocks. Shared by the reply's bridges; thread-safe.
/// </summary>
internal sealed class ReplyToolBudget(int max)
{
    private int _taken;

    public int Max => max;

    /// <summary>Takes one call from the budget; false once it is spent.</summary>
    public bool TryTake() => Interlocked.Increment(ref _taken) <= max;
}
