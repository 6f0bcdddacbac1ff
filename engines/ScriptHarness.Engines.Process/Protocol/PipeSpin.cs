using System.Runtime.InteropServices;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// Before a blocking read of a pipe, polls it for a while without sleeping. The answer to a frame often comes within
/// tens of microseconds (a tool call's result, a script's next call); a reader that sleeps in <c>read</c> meanwhile must
/// be woken, and the writer pays for that wake-up in its <c>write</c>. Two .NET processes answering each other over a
/// pipe on the 2-core VM: 15–22 µs per round trip with both sides blocking, 8 µs with both polling first.
/// </summary>
/// <remarks>
/// <para>
/// The budget adapts: after a spin that ended with data, the next may take the whole budget; after one that ran out, the
/// next takes a sixteenth of it, until one ends with data again. A stream of quick answers is caught even where some of
/// them come late (V8 compiling a hot function, a collection): V8's W3 in Process isolation, alternating runs, 43–47 µs
/// per call with a fixed 50 µs spin, 33–35 µs with 0.5–1 ms. Slow answers (a tool taking seconds) cost one full budget of
/// CPU and then a sixteenth per wait.
/// </para>
/// <para>
/// The poll is the runtime's own native shim (<c>SystemNative_Poll</c> in libSystem.Native, which .NET's sockets use),
/// the same on every Unix. Windows has no poll of a pipe: there the reader always blocks.
/// </para>
/// </remarks>
internal sealed partial class PipeSpin
{
    private const short PollIn = 0x0001; // the shim's PAL_POLLIN

    private readonly int _descriptor;
    private readonly long _budget;

    // Whether the last spin ran out: the next is short. Only the thread that holds the pipe's read spins.
    private bool _missed;

    private PipeSpin(int descriptor, TimeSpan budget)
    {
        _descriptor = descriptor;
        _budget = (long)(budget.TotalSeconds * TimeProvider.System.TimestampFrequency);
    }

    /// <summary>How long a reader polls before it blocks, at most.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// A spin over <paramref name="descriptor"/>; null where pipes cannot be polled (Windows) and on one processor, where
    /// the answer cannot come while this thread holds the only one.
    /// </summary>
    public static PipeSpin? Over(int descriptor, TimeSpan budget) =>
        OperatingSystem.IsWindows() || Environment.ProcessorCount < 2 || budget <= TimeSpan.Zero ? null : new PipeSpin(descriptor, budget);

    /// <summary>Whether the pipe has data (or its writer closed it) now.</summary>
    public bool ReadableNow() => Poll(0);

    /// <summary>
    /// Polls for the budget, then waits in the kernel for the rest of <paramref name="timeout"/>; true when the pipe has
    /// data (or its writer closed it) in time.
    /// </summary>
    public bool Readable(TimeSpan timeout)
    {
        return UntilReadable() || ReadableWithin(timeout);
    }

    /// <summary>Waits in the kernel, without polling first, at most <paramref name="timeout"/>; true when the pipe has data (or its writer closed it).</summary>
    public bool ReadableWithin(TimeSpan timeout)
    {
        var milliseconds = Math.Ceiling(timeout.TotalMilliseconds);
        return milliseconds > 0 ? Poll(milliseconds >= int.MaxValue ? int.MaxValue : (int)milliseconds) : Poll(0);
    }

    /// <summary>Polls until the pipe has data (or its writer closed it) or the budget is spent; true when it has.</summary>
    public bool UntilReadable()
    {
        var spinner = default(SpinWait);
        var until = TimeProvider.System.GetTimestamp() + (_missed ? _budget / 16 : _budget);
        while (true)
        {
            if (Poll(0))
            {
                _missed = false;
                return true;
            }

            if (TimeProvider.System.GetTimestamp() >= until)
            {
                _missed = true;
                return false;
            }

            // Yields now and then (never sleeps): a thread on this core that the answer waits for gets its turn.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private bool Poll(int milliseconds)
    {
        var poll = new PollEvent { FileDescriptor = _descriptor, Events = PollIn };
        // Any outcome but "nothing yet" ends the wait: data, the writer's end, or an error the read will report. The shim
        // retries a poll the kernel interrupted.
        return PollNative(ref poll, 1, milliseconds, out var triggered) != 0 || triggered != 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEvent
    {
        public int FileDescriptor;
        public short Events;
        public short TriggeredEvents;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Poll")]
    private static partial int PollNative(ref PollEvent events, uint count, int milliseconds, out uint triggered);
}
