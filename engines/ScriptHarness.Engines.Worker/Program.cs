using System.Globalization;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Engines.V8;
using ScriptHarness.Engines.Worker;
using ScriptHarness.Runtime;

// The worker: one engine, one script at a time, frames on stdin/stdout (nothing else may write to stdout), diagnostics
// on stderr. Arguments: --engine jint|v8 [--heap-mb N] [--max-frame-bytes N]. Exit codes: 0 when the host closed stdin,
// 2 for bad arguments, 3 when the host broke the protocol.
var settings = WorkerSettings.Parse(args);
if (settings is null)
{
    await Console.Error.WriteLineAsync("usage: ScriptHarness.Engines.Worker --engine jint|v8 [--heap-mb N] [--max-frame-bytes N]").ConfigureAwait(false);
    return 2;
}

// Before Jint's first options object: the worker's cold start, and so the first script of a Process engine, skips
// ICU's names for every time zone (see TimeZoneDisplayNames).
ScriptHarness.Startup.TimeZoneDisplayNames.UseIdentifiers();
var frames = Console.OpenStandardOutput();
Console.SetOut(TextWriter.Null);
IScriptEngineFactory engine = settings.Engine switch
{
    JintEngineFactory.EngineName => new JintEngineFactory(),
    _ => CreateV8(settings.HeapMegabytes),
};

// The engine's thread polls the host's pipe (standard input) while a script waits for its calls.
return new WorkerLoop(engine, Console.OpenStandardInput(), frames, settings.MaxFrameBytes, PipeSpin.Over(0, PipeSpin.DefaultBudget)).Run();

static V8EngineFactory CreateV8(int heapMegabytes)
{
    if (heapMegabytes > 0)
    {
        // Before the first runtime exists: V8's own hard heap limit. Past it V8 aborts this process, which the host
        // reports as engine_crashed (out of memory); the host is unaffected.
        V8HeapFlag.Set("--max-old-space-size=" + heapMegabytes.ToString(CultureInfo.InvariantCulture));
    }

    // One script at a time per worker: one runtime is enough; it stays warm while the worker lives. A second one, to
    // prepare the next fresh context in the shadow of the running script as the in-process pool does, measured slower
    // on 2 cores (the other core is the host's): W1 ~0.8 → ~0.9 ms, +15 MiB RSS.
    return new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, IdleTrimAfter = Timeout.InfiniteTimeSpan });
}
