using System.Runtime.InteropServices;
using Microsoft.ClearScript;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// V8 command-line flags, set once per process before the first V8 runtime exists. ClearScript has no option that
/// blocks <c>eval</c>/<c>Function</c>, so V8's own flag does it, for every function constructor and indirect eval.
/// The flags are process-wide: any other V8 runtime in this process gets them too. So is ClearScript's document cache
/// size, lowered here only while it is ClearScript's default.
/// </summary>
internal static partial class V8ProcessFlags
{
    /// <summary>
    /// No code from strings; a regex that backtracks excessively falls back to V8's linear-time engine (a catastrophic
    /// pattern finishes instead of spinning until the deadline). And two for a context per script: no extra GC each
    /// time a context is disposed (it ran a young-generation collection per script; <c>V8Worker</c> collects once per
    /// batch of engines instead), and collections on the runtime's own thread instead of helper jobs (small heaps;
    /// waking helpers cost more than it saved on 2 cores). Together ~20 % less CPU per trivial script.
    /// And <c>--no-turboshaft</c>: code optimized by the Turboshaft backend of this V8 (13.x) can lose the interrupt
    /// check of a loop — <c>for (;;) a = new Array(64).fill(1)</c> ignored every interrupt and the memory limit, ran on
    /// past the watchdog and kept allocating after its timeout was reported. The classic TurboFan backend keeps it.
    /// And <c>--no-concurrent-recompilation</c>: optimized code is compiled on the script's own thread, when the function
    /// gets hot, instead of by a job on V8's worker threads. On 2 cores those jobs wait behind the other runtimes and the
    /// host (the pool prepares fresh contexts while a script runs), and the script goes on unoptimized meanwhile:
    /// <c>fib(25)</c> took ~2.9 ms with another runtime busy and ~0.9 ms with the flag (~1.0 ms either way when idle).
    /// </summary>
    public const string Flags =
        "--disallow-code-generation-from-strings --enable-experimental-regexp-engine-on-excessive-backtracks "
        + "--no-idle-gc-on-context-disposal --single-threaded-gc --no-turboshaft --no-concurrent-recompilation";

    /// <summary>
    /// The size ClearScript's per-runtime list of compiled documents is given, its least: ClearScript scans the list on
    /// every compilation and evaluation, and a sandbox never finds anything in it (each evaluated document is named
    /// uniquely; the engine keeps its own compiled scripts, <c>V8ScriptCache</c>). At ClearScript's default of 1,024 a
    /// trivial script's run spent ~100 µs of ~280 in that scan (a probe on one runtime, 2,000 scripts, alternating), and
    /// the list held every one of the last 1,024 scripts' code alive for V8's collections to walk.
    /// </summary>
    internal const uint ScriptDocumentCacheSize = 16;

    // ClearScript's own default; a host that chose another size keeps it.
    private const uint ClearScriptDefaultCacheSize = 1024;

    private static readonly Lazy<bool> Applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Sets the flags, and ClearScript's document cache size (<see cref="ScriptDocumentCacheSize"/>), the first time;
    /// throws (every time) if they cannot be set on this platform.
    /// </summary>
    public static void EnsureApplied() => _ = Applied.Value;

    private static bool Apply()
    {
        // The entry point is V8's own v8::V8::SetFlagsFromString(const char*), exported by the linux-x64 native package.
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("the V8 engine is available on linux-x64 only (the native package referenced)");
        }

        SetFlagsFromString(Flags);
        if (DocumentCategory.Script.MaxCacheSize == ClearScriptDefaultCacheSize)
        {
            DocumentCategory.Script.MaxCacheSize = ScriptDocumentCacheSize;
        }

        return true;
    }

    [LibraryImport("ClearScriptV8.linux-x64.so", EntryPoint = "_ZN2v82V818SetFlagsFromStringEPKc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void SetFlagsFromString(string flags);
}
