using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;

namespace ScriptHarness.Cli;

/// <summary>
/// Whether an engine really runs here: a sandbox is created and runs <c>return 1</c>, through the engine contract.
/// A registered engine may still fail to load (V8's native library is for linux-x64 only, or missing); without this
/// every block of a reply would end <c>harness_internal</c> and the run would look fine.
/// </summary>
internal static class EngineProbe
{
    /// <summary>Long enough for a worker process to start on a loaded machine; a probe that takes longer is a failure.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <summary>The probe's own time limit, at least: a cold engine on a loaded machine may take seconds.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private static readonly ParsedScript One = new("return 1;", "probe") { SizeBytes = 9 };

    /// <summary>
    /// Null when <paramref name="engine"/> ran <c>return 1</c>; else why not, in one line. Only a failure to run at all
    /// counts (an exception, <c>engine_crashed</c>, <c>harness_internal</c>): an engine that ran the script and stopped it
    /// at a limit (a cold start past a short <c>--timeout-ms</c> on a loaded machine, say) does run here.
    /// </summary>
    /// <param name="engine">The engine, as the harness will use it (wrapped for worker processes, say).</param>
    /// <param name="limits">The limits the scripts will have (a worker is made for its memory limit); the defaults when null.</param>
    /// <param name="cancellationToken">Stops the probe.</param>
    public static async Task<string?> FailureAsync(IScriptEngineFactory engine, ScriptLimits? limits, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        limits ??= ScriptLimits.Default;
        limits = limits with { Timeout = limits.Timeout > ProbeTimeout ? limits.Timeout : ProbeTimeout };
        var context = ScriptContextFactory.Create(new RunIdentity("probe", "probe", "probe"), 0, ToolMode.Enabled, limits);
        try
        {
            await using var sandbox = await engine.CreateAsync(patience.Token).ConfigureAwait(false);
            var result = await sandbox.RunAsync(new PreparedScript(One, context), NoTools.Instance, patience.Token).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return result.Error.Code is ScriptErrorCode.EngineCrashed or ScriptErrorCode.HarnessInternal
                    ? $"a sandbox could not run `return 1` ({result.Error.Code.ToCode()}: {result.Error.Message})"
                    : null;
            }

            return result.Value?.ToJsonString() == "1"
                ? null
                : $"`return 1` gave {result.Value?.ToJsonString() ?? "nothing"}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"a sandbox did not run `return 1` within {Patience.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return CliMessages.Cause(ex);
        }
    }

    /// <summary>
    /// Throws when the engine <paramref name="harness"/> runs scripts on cannot run here, naming it and why. When it runs
    /// in worker processes and they fail, the engine is tried in this process too: a missing native library is said
    /// as such, and a worker that alone fails gets the way out (<c>--isolation in-process</c>).
    /// </summary>
    /// <exception cref="EngineUnavailableException">The engine cannot run.</exception>
    public static async Task EnsureRunsAsync(HarnessPipeline harness, IServiceProvider services, CancellationToken cancellationToken)
    {
        // A managed engine in this process loads nothing native and starts no worker: nothing about the machine can keep
        // it from running, and its probe would only put a whole extra script before the first result of every run.
        var capabilities = harness.Engine.Capabilities;
        if (capabilities.HasFlag(EngineCapabilities.Managed) && !capabilities.HasFlag(EngineCapabilities.ProcessIsolated))
        {
            return;
        }

        if (await FailureAsync(harness.Engine, harness.Options.Limits, cancellationToken).ConfigureAwait(false) is not { } failure)
        {
            return;
        }

        var name = harness.Options.Engine;
        const string See = "; scriptharness engines lists the engines that run here";
        if (harness.Options.Isolation == EngineIsolation.Process
            && services.GetServices<IScriptEngineFactory>().FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) is { } inProcess
            && !inProcess.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated))
        {
            if (await FailureAsync(inProcess, harness.Options.Limits, cancellationToken).ConfigureAwait(false) is { } cause)
            {
                throw new EngineUnavailableException($"engine '{name}' cannot run on this machine: {cause}{See}");
            }

            throw new EngineUnavailableException(
                $"engine '{name}' cannot run in worker processes (isolation process): {failure}; it runs in this process with "
                + "--isolation in-process, where a script can abort the whole process");
        }

        throw new EngineUnavailableException($"engine '{name}' cannot run on this machine: {failure}{See}");
    }

    /// <summary>The probe calls no tool; a sandbox needs a bridge all the same.</summary>
    private sealed class NoTools : IToolBridge
    {
        public static readonly NoTools Instance = new();

        public IReadOnlyCollection<string> ToolNames => [];

        public TimeSpan PausedTime => TimeSpan.Zero;

        public ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.Failure(ScriptErrorCode.ToolNotFound, "the engine probe offers no tools"));

        public void Progress(string message)
        {
        }

        public void Log(LogLevel level, string message)
        {
        }
    }
}
