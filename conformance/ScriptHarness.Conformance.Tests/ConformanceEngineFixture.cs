using ScriptHarness.Conformance.Running;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests;

/// <summary>One engine and its runner per conformance test class, created on first use and disposed at the end.</summary>
public sealed class ConformanceEngineFixture : IAsyncLifetime
{
    // As many blocks at once as a reply runs (MaxParallelScripts' default): each takes a runtime, or a worker process.
    private const int WarmBlocks = 4;

    private static readonly ConformanceScenario WarmUp = new()
    {
        Id = "WARM-UP",
        Title = "trivial blocks, as many at once as a reply runs, before the first scenario",
        Reply = string.Concat(Enumerable.Repeat("<tool-calls>\nreturn 1;\n</tool-calls>\n", WarmBlocks)),
        Expect = new ScenarioExpectation { Value = "1", Within = TimeSpan.FromMinutes(2) },
    };

    private readonly Lock _gate = new();
    private IScriptEngineFactory? _engine;
    private ConformanceRunner? _runner;
    private Task? _warm;

    /// <summary>
    /// The runner for the engine <paramref name="create"/> makes (called once), once the engine is warm: a scenario
    /// with a time budget (a reply's one second) must not spend it on the first start of worker processes, which run
    /// four at once on two cores take seconds to start.
    /// </summary>
    public async Task<ConformanceRunner> RunnerAsync(Func<IScriptEngineFactory> create)
    {
        Task warm;
        ConformanceRunner runner;
        lock (_gate)
        {
            _engine ??= create();
            runner = _runner ??= new ConformanceRunner(_engine);
            warm = _warm ??= WarmAsync(runner);
        }

        await warm;
        return runner;
    }

    private static async Task WarmAsync(ConformanceRunner runner)
    {
        var result = await runner.RunAsync(WarmUp);
        if (result.Status != ConformanceStatus.Pass)
        {
            throw new InvalidOperationException($"the engine did not warm up: {result.Reason}");
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
