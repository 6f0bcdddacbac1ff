namespace ScriptHarness.Engines.Process;

/// <summary>
/// The caps derived from a script's memory limit (<c>base + factor × limit</c>), saturating: a host that sets the limit
/// very high, to mean "no limit", gets the largest cap, not one that wrapped round to a negative number and killed
/// every worker at its first sample (or made its heap flag unreadable, so no worker started).
/// </summary>
internal static class MemoryCaps
{
    private const long MiB = 1024 * 1024;

    /// <summary><paramref name="baseBytes"/> + <paramref name="factor"/> × <paramref name="memoryBytes"/>, at most <see cref="long.MaxValue"/>.</summary>
    public static long Over(long baseBytes, int factor, long memoryBytes) =>
        memoryBytes > (long.MaxValue - baseBytes) / factor ? long.MaxValue : baseBytes + (factor * memoryBytes);

    /// <summary>V8's hard heap limit for <paramref name="memoryBytes"/>, in MiB: <paramref name="factor"/> × the limit + 32, at most <see cref="int.MaxValue"/> (what the worker reads).</summary>
    public static int HeapMegabytes(int factor, long memoryBytes) => (int)Math.Min(Over(32, factor, memoryBytes / MiB), int.MaxValue);
}
