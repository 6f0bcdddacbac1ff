using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>One script's sandbox in Process isolation: a worker from the pool for the length of the run.</summary>
internal sealed class ProcessSandbox(WorkerPool pool, string engine) : IScriptSandbox
{
    public async ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);
        WorkerProcess worker;

        // A nested script (run by a tool its ancestor waits for, holding its worker) is bounded with its own depth only.
        var depth = script.Context.NestingDepth;
        try
        {
            worker = await pool.AcquireAsync(script.Context.Limits.MemoryBytes, depth, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled before the script started"));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
        {
            // The message names no host path: the worker's location is a configuration matter, logged by the host.
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.EngineCrashed, $"the {engine} worker process could not be started"))
                with { RetireRuntime = true };
        }

        try
        {
            return await worker.RunAsync(script, tools, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pool.Release(worker, depth);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
