using Microsoft.ClearScript.V8.FastProxy;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <content>
/// <c>refuse(target, units)</c>: a one-step guard (<see cref="V8OneStepGuards"/>) refused a call. The refusal is the
/// script's end — <c>memory_limit</c> naming the built-in, as on Jint where the budget cannot be caught — so the run
/// records it and terminates the script; the guard's RangeError is only what V8 unwinds with.
/// </content>
internal sealed partial class V8Run
{
    private string? _refusal;

    public static V8FastHostFunction CreateHostRefuse(WarmEngine warm) =>
        new("refuse", (bool _, in V8FastArgs args, in V8FastResult _) => warm.Run?.OnRefuse(args));

    private void OnRefuse(in V8FastArgs args)
    {
        if (_ended || _refusal is not null)
        {
            return;
        }

        var target = Text(args, 0) ?? string.Empty;
        var units = args.Count > 1 && args.TryGet(1, out double value) ? value : double.PositiveInfinity;
        _refusal = OneStepAllocators.Find(target) is { } allocator
            ? OneStepAllocators.Refusal(allocator, units, Limits.MemoryBytes)
            : $"a built-in would allocate more than the script's memory limit of {EngineErrors.Size(Limits.MemoryBytes)}";
        _warm.Engine.Interrupt();
    }
}
