using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Worker;

/// <summary>
/// Reads the host's frames and runs one script at a time on the engine. The script's tool calls, logs and progress go
/// back as frames (<see cref="WorkerBridge"/>); the outcome ends the run. A frame that breaks the protocol ends the
/// worker (exit 3): the host is the only writer, so a broken frame means the channel cannot be trusted.
/// </summary>
internal sealed class WorkerLoop(IScriptEngineFactory engine, Stream input, Stream output, int maxFrameBytes)
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private readonly FrameWriter _writer = new(output);
    private WorkerBridge? _active;
    private Task _run = Task.CompletedTask;

    /// <summary>
    /// Reads and handles the host's frames on the calling thread until the host closes the input; returns the exit code.
    /// Blocking reads on a thread of its own: a frame wakes this thread once, and a tool result is handed to the waiting
    /// engine from here, with no thread-pool hop on the way (the engine's own thread is the only other one woken).
    /// </summary>
    public int Run()
    {
        var reader = new FrameReader(input, maxFrameBytes);
        _writer.Write(new ReadyFrame(Environment.ProcessId, engine.Name));
        using var heartbeat = new Timer(_ => Beat(), null, HeartbeatInterval, HeartbeatInterval);
        while (true)
        {
            Frame? frame;
            try
            {
                frame = reader.Read();
            }
            catch (FrameException ex)
            {
                Console.Error.WriteLine("scriptharness worker: " + ex.Message);
                return 3;
            }

            switch (frame)
            {
                case null:
                    return 0;
                case RunFrame run:
                    // The outcome frame is the previous run's last act, so the host may send the next script while
                    // that run is still unwinding: let it finish first (it no longer reads frames, and never fails).
                    _run.GetAwaiter().GetResult();
                    var bridge = new WorkerBridge(run.ToolNames, run.Script.Context.Limits, _writer);
                    _active = bridge;
                    _run = RunScriptAsync(run, bridge);
                    break;
                case ToolResultFrame result:
                    _active?.Complete(result);
                    break;
                case ApprovalWaitFrame wait:
                    _active?.SetPaused(wait.Paused, wait.Waiting);
                    break;
                case CancelFrame:
                    _active?.Cancel();
                    break;
                default:
                    Console.Error.WriteLine($"scriptharness worker: unexpected {frame.Type} frame");
                    return 3;
            }
        }
    }

    private async Task RunScriptAsync(RunFrame run, WorkerBridge bridge)
    {
        OutcomeFrame outcome;
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var sandbox = await engine.CreateAsync(bridge.Cancellation).ConfigureAwait(false);
            await using (sandbox.ConfigureAwait(false))
            {
                var result = await sandbox.RunAsync(run.Script, bridge, bridge.Cancellation).ConfigureAwait(false);
                outcome = ToFrame(result);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The engine broke its contract (it must not throw for the script's failures); the script still gets an end.
            await Console.Error.WriteLineAsync("scriptharness worker: engine failure: " + ex).ConfigureAwait(false);
            outcome = new OutcomeFrame(null, ScriptErrorCode.HarnessInternal.ToCode(), $"internal error in the {engine.Name} engine",
                null, null, null, TimeProvider.System.GetElapsedTime(started), RetireRuntime: true);
        }

        bridge.End();
        _writer.Write(outcome);
        bridge.Dispose();
    }

    private static OutcomeFrame ToFrame(EngineResult result)
    {
        var value = WireJson.Text(result.Value);
        return result.IsSuccess
            ? new OutcomeFrame(value, null, null, null, null, null, result.Duration, result.RetireRuntime)
            : new OutcomeFrame(value, result.Error.WireCode, result.Error.Message, result.Error.Line, result.Error.Column,
                result.Error.Stack, result.Duration, result.RetireRuntime);
    }

    private void Beat()
    {
        try
        {
            _writer.Write(new HeartbeatFrame(Environment.WorkingSet));
        }
        catch (IOException)
        {
            // The host is gone; the read loop sees the end of stdin and exits.
        }
    }
}
