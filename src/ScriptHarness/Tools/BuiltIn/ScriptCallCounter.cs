using System.Runtime.CompilerServices;
using ScriptHarness.Context;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// Per-script call counts for <c>test.counter</c>. Keyed weakly on the script's <see cref="ScriptContext"/>
/// instance (one per script run, carrying its <see cref="ScriptContext.ScriptId"/>), so a count lives exactly as
/// long as its script: no growth across runs, and a rerun with the same id starts again at 1.
/// </summary>
internal sealed class ScriptCallCounter
{
    private readonly ConditionalWeakTable<ScriptContext, StrongBox<int>> _counts = new();

    /// <summary>Counts one more call by <paramref name="script"/> and returns its total so far.</summary>
    public int Increment(ScriptContext script) =>
        Interlocked.Increment(ref _counts.GetValue(script, static _ => new StrongBox<int>()).Value);
}
