using ScriptHarness.Engines.Process;
using ScriptHarness.Engines.V8;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>One V8 process engine (and its pool of workers) per test class: workers start once, not per test.</summary>
public sealed class ProcessIsolationFixture : IAsyncLifetime
{
    public ProcessScriptEngineFactory Engine { get; } = new(new V8EngineFactory(), new ProcessIsolationOptions
    {
        MinWorkers = 1,
        MaxWorkers = 2,
        KillGrace = TimeSpan.FromSeconds(1),
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
