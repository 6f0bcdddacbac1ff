namespace ScriptHarness.Tools;

/// <summary>
/// The tool calls of one script, as seen from the handlers they run: set as an ambient value around each handler, so a
/// reply the handler runs — a sub-agent, on this harness or another — knows it is nested, how deep, and which tool
/// gates its ancestors' calls hold. An ancestor keeps its engine thread and its gate slot while it waits for the
/// handler, so a nested run that waited for either could wait for itself; with this it runs beside them instead.
/// Flows like any <see cref="AsyncLocal{T}"/>: into the handler's awaits and the tasks it starts, never out of it.
/// </summary>
internal sealed class ToolNesting
{
    private static readonly AsyncLocal<ToolNesting?> Ambient = new();

    private readonly ToolNesting? _parent;
    private readonly ToolExecutionGate _gate;
    private int _running;

    /// <param name="parent">The calls the script's own reply runs inside; null for a reply the host runs.</param>
    /// <param name="gate">The gate the script's calls take their slots from.</param>
    /// <param name="depth">The depth of a reply its handlers run: the script's own plus one.</param>
    public ToolNesting(ToolNesting? parent, ToolExecutionGate gate, int depth)
    {
        _parent = parent;
        _gate = gate;
        Depth = depth;
    }

    /// <summary>The calls the code running now is inside; null outside every tool handler.</summary>
    public static ToolNesting? Current => Ambient.Value;

    /// <summary>The depth of a reply a handler of these calls runs.</summary>
    public int Depth { get; }

    /// <summary>
    /// Whether a call running now, here or further out, holds a slot of <paramref name="gate"/> while it waits for its
    /// handler: a call of a nested reply then runs on that slot instead of waiting for one. The chain is followed only
    /// while calls are running: a reply whose calls have all ended (started and left behind by a handler) waits like
    /// any other.
    /// </summary>
    public bool Holds(ToolExecutionGate gate)
    {
        for (var calls = this; calls is not null && Volatile.Read(ref calls._running) > 0; calls = calls._parent)
        {
            if (ReferenceEquals(calls._gate, gate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call has its slot (or runs on an ancestor's) and is about to start its handler.</summary>
    public void CallStarted() => Interlocked.Increment(ref _running);

    /// <summary>The call has ended (its handler returned, failed, or was given up on).</summary>
    public void CallEnded() => Interlocked.Decrement(ref _running);

    /// <summary>
    /// Makes these calls the ambient ones until <see cref="Restore"/>; returns what to go back to: the thread's whole
    /// execution context as it was, and the ambient calls (for a thread whose context flow is suppressed).
    /// </summary>
    public (ExecutionContext? Context, ToolNesting? Outer) Enter()
    {
        var outer = (ExecutionContext.Capture(), Ambient.Value);
        Ambient.Value = this;
        return outer;
    }

    /// <summary>
    /// Puts back what <see cref="Enter"/> returned. Going back to the captured context, rather than setting the value
    /// back, spares a new context (and its map of values) per call: ~70 of ~3,060 bytes a Jint tool call allocates.
    /// </summary>
    public static void Restore((ExecutionContext? Context, ToolNesting? Outer) outer)
    {
        if (outer.Context is null)
        {
            Ambient.Value = outer.Outer;
        }
        else
        {
            ExecutionContext.Restore(outer.Context);
        }
    }
}
