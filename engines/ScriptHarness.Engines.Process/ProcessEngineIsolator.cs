using System.Collections.Concurrent;
using ScriptHarness.Hosting;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>The <see cref="IEngineIsolator"/> of <c>AddProcessIsolation()</c>: one process engine (and pool) per engine name, disposed with the container.</summary>
internal sealed class ProcessEngineIsolator(ProcessIsolationOptions options) : IEngineIsolator, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ProcessScriptEngineFactory>> _engines = new(StringComparer.OrdinalIgnoreCase);

    public IScriptEngineFactory Isolate(IScriptEngineFactory engine, ScriptHarnessOptions harnessOptions)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(harnessOptions);
        return _engines.GetOrAdd(engine.Name, _ => new Lazy<ProcessScriptEngineFactory>(
            () => new ProcessScriptEngineFactory(engine, options, harnessOptions.Limits.MemoryBytes))).Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines.Values.Where(l => l.IsValueCreated))
        {
            await engine.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
