using ScriptHarness.Conformance.Running;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests;

/// <summary>One engine and its runner per conformance test class, created on first use and disposed at the end.</summary>
public sealed class ConformanceEngineFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private IScriptEngineFactory? _engine;
    private ConformanceRunner? _runner;

    /// <summary>The runner for the engine <paramref name="create"/> makes (called once).</summary>
    public ConformanceRunner Runner(Func<IScriptEngineFactory> create)
    {
        lock (_gate)
        {
            _engine ??= create();
            return _runner ??= new ConformanceRunner(_engine);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        switch (_engine)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
