using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// The engine probe of <c>run</c>, <c>mcp</c>, <c>engines</c> and <c>conformance</c>: only an engine that cannot run
/// at all counts as unavailable. Regression: the probe ran under the run's own limits and took a cold start past a short
/// <c>--timeout-ms</c> on a loaded machine for an engine that does not load (exit 3 for a working Jint).
/// </summary>
public sealed class EngineProbeTests
{
    [Fact]
    public async Task Probe_EngineThatRunsIt_IsAvailable()
    {
        Assert.Null(await EngineProbe.FailureAsync(new FakeEngine(_ => EngineResult.Success(1)), null, CancellationToken.None));
    }

    [Theory]
    [InlineData(ScriptErrorCode.Timeout)]
    [InlineData(ScriptErrorCode.MemoryLimit)]
    [InlineData(ScriptErrorCode.Cancelled)]
    public async Task Probe_EngineThatRanItAndStoppedItAtALimit_IsAvailable(ScriptErrorCode code)
    {
        var engine = new FakeEngine(_ => EngineResult.Failure(new ScriptError(code, "stopped")));
        Assert.Null(await EngineProbe.FailureAsync(engine, null, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_RunsWithAtLeastThirtySecondsWhateverTheRunsTimeout()
    {
        var engine = new FakeEngine(_ => EngineResult.Success(1));
        await EngineProbe.FailureAsync(engine, ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(1), MemoryBytes = 7 * 1024 * 1024 }, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(30), engine.Seen!.Limits.Timeout);
        Assert.Equal(7 * 1024 * 1024, engine.Seen.Limits.MemoryBytes);
    }

    [Theory]
    [InlineData(ScriptErrorCode.EngineCrashed, "the v8 worker process could not be started")]
    [InlineData(ScriptErrorCode.HarnessInternal, "internal error")]
    public async Task Probe_EngineThatCouldNotRunIt_SaysWhy(ScriptErrorCode code, string message)
    {
        var engine = new FakeEngine(_ => EngineResult.Failure(new ScriptError(code, message)));
        var failure = await EngineProbe.FailureAsync(engine, null, CancellationToken.None);
        Assert.Equal($"a sandbox could not run `return 1` ({code.ToCode()}: {message})", failure);
    }

    [Fact]
    public async Task Probe_NativeLibraryThatDoesNotLoad_NamesItAndThePlatform()
    {
        var engine = new FakeEngine(_ => throw new TypeInitializationException("V8", new DllNotFoundException(
            "Unable to load shared library 'libv8.so' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace.\n"
            + "/app/runtimes/linux-x64/native/libv8.so: cannot open shared object file: No such file or directory\n"
            + "/usr/lib/libv8.so: cannot open shared object file: No such file or directory")));
        var failure = await EngineProbe.FailureAsync(engine, null, CancellationToken.None);
        Assert.Equal(
            $"its native library libv8.so cannot be loaded on {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} (cannot open shared object file: No such file or directory)",
            failure);
    }

    [Fact]
    public async Task Probe_ArgumentException_HasNoParameterSuffix()
    {
        var engine = new FakeEngine(_ => throw new ArgumentException("the engine is broken", "options"));
        Assert.Equal("ArgumentException: the engine is broken", await EngineProbe.FailureAsync(engine, null, CancellationToken.None));
    }

    [Fact]
    public async Task Ensure_ManagedEngineInThisProcess_IsNotProbed()
    {
        // Nothing native to load and no worker to start: a cold `run` no longer pays an extra script before its first result.
        var engine = new FakeEngine(_ => throw new InvalidOperationException("the probe ran"), EngineCapabilities.Managed);
        await EngineProbe.EnsureRunsAsync(Harness(engine), EmptyServices, CancellationToken.None);
        Assert.Null(engine.Seen);
    }

    [Theory]
    [InlineData(EngineCapabilities.None)]
    [InlineData(EngineCapabilities.Managed | EngineCapabilities.ProcessIsolated)]
    public async Task Ensure_NativeOrWorkerEngineThatCannotRun_ThrowsNamingWhy(EngineCapabilities capabilities)
    {
        var engine = new FakeEngine(_ => EngineResult.Failure(new ScriptError(ScriptErrorCode.EngineCrashed, "no worker")), capabilities);
        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => EngineProbe.EnsureRunsAsync(Harness(engine), EmptyServices, CancellationToken.None));
        Assert.Contains("a sandbox could not run `return 1` (engine_crashed: no worker)", error.Message, StringComparison.Ordinal);
        Assert.NotNull(engine.Seen);
    }

    private static IServiceProvider EmptyServices { get; } = new ServiceCollection().BuildServiceProvider();

    private static HarnessPipeline Harness(FakeEngine engine) => new(new ScriptHarnessOptions
    {
        Engine = engine.Name,
        Isolation = engine.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated) ? EngineIsolation.Process : EngineIsolation.InProcess,
    }, engine);

    private sealed class FakeEngine(Func<PreparedScript, EngineResult> run, EngineCapabilities capabilities = EngineCapabilities.None) : IScriptEngineFactory, IScriptSandbox
    {
        public ScriptContext? Seen { get; private set; }

        public string Name => "fake";

        public EngineCapabilities Capabilities => capabilities;

        public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IScriptSandbox>(this);

        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
        {
            Seen = script.Context;
            return ValueTask.FromResult(run(script));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
