using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Worker;

/// <summary>
/// Reads the host's frames and runs one script at a time on the engine. The script's tool calls, logs and progress go
/// back as frames (<see cref="WorkerBridge"/>); the outcome ends the run. A frame that breaks the protocol ends the
/// worker (exit 3): the host is the only writer, so a broken frame means the channel cannot be trusted.
/// </summary>
/// <remarks>
/// One thread at a time reads the host's frames. Between scripts it is this loop's thread, blocking in the read, and so
/// while a script runs until it first waits for a call (a trivial script never does: no thread is woken beyond those a
/// script needs). From then on, while the script waits for its calls, it is the engine's own thread
/// (<see cref="Receive"/>): it polls the pipe for a while (unless the host says the processors are taken,
/// <see cref="WorkerBridge.MayPoll"/>) and then waits in the kernel, so an answer reaches the script with no other
/// thread woken to hand it over, and the host's write wakes no one while the engine polls. While that script computes,
/// this loop's thread looks at the pipe every <see cref="LookInterval"/> for what must not wait for the script (a
/// cancellation). Where the pipe cannot be polled (<paramref name="spin"/> null) this loop's thread reads every
/// frame, blocking, and hands answers over.
/// </remarks>
internal sealed class WorkerLoop(IScriptEngineFactory engine, Stream input, Stream output, int maxFrameBytes, PipeSpin? spin = null) : IHostInbox
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often this loop's thread looks at the host's frames while a script computes.</summary>
    internal static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(2);

    // The longest a waiting engine thread stays in the kernel before its run looks again: an answer posted to the run
    // some other way than on this loop's threads (a continuation the runtime ran later) waits at most this long.
    private static readonly TimeSpan ReceiveSlice = TimeSpan.FromMilliseconds(10);

    private readonly FrameWriter _writer = new(output);
    private readonly FrameReader _reader = new(input, maxFrameBytes);
    private readonly Lock _reading = new();
    // No spinning: this thread waits while the script runs, and a spin would take a core from the script.
    private readonly ManualResetEventSlim _idle = new(initialState: true, spinCount: 0);
    private WorkerBridge? _active;
    private Task _run = Task.CompletedTask;
    private int _exitCode = -1;

    // Set by the engine's thread when the running script first waits for a call: from then on the engine reads the pipe
    // while it waits, and this loop's thread stops waiting on the pipe (it would be woken by every answer).
    private volatile bool _calling;

    /// <summary>Reads and handles the host's frames until the host closes the input or breaks the protocol; returns the exit code.</summary>
    public int Run()
    {
        _writer.Write(new ReadyFrame(Environment.ProcessId, engine.Name));
        using var heartbeat = new Timer(_ => Beat(), null, HeartbeatInterval, HeartbeatInterval);
        while (Volatile.Read(ref _exitCode) < 0)
        {
            if (spin is null || _idle.IsSet)
            {
                // No script runs (only this thread starts one), or the engine never reads: block in the read.
                lock (_reading)
                {
                    ReadAndHandle(onEngineThread: false);
                }
            }
            else if (!_calling)
            {
                // The script has not waited for a call yet: what comes now is this thread's to read (a cancellation, or
                // the next script once this one has ended), one frame at a time, as between scripts.
                if (_reader.HasBuffered || spin.ReadableWithin(LookInterval))
                {
                    ReadOneIfFree();
                }
            }
            else if (!_idle.Wait(LookInterval))
            {
                LookAtInput();
            }
        }

        return _exitCode;
    }

    /// <inheritdoc />
    public bool Receive(WorkerBridge bridge, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Before the read is taken: this loop's thread, seeing the pipe readable and the read taken, then stops waiting on it.
        _calling = true;
        lock (_reading)
        {
            // What this loop's thread handled while the script computed comes first: the run looks before it waits.
            if (bridge.TakeNews() || cancellationToken.IsCancellationRequested || Volatile.Read(ref _exitCode) >= 0)
            {
                return true;
            }

            var slice = timeout < ReceiveSlice ? timeout : ReceiveSlice;
            if (_reader.HasBuffered || (bridge.MayPoll ? spin!.Readable(slice) : spin!.ReadableWithin(slice)))
            {
                ReadAndHandle(onEngineThread: true);
                bridge.TakeNews(); // the run looks now
            }

            return true;
        }
    }

    /// <summary>While a script computes: handles what the host sent, unless the engine's thread is reading it.</summary>
    private void LookAtInput()
    {
        if (!_reading.TryEnter())
        {
            return;
        }

        try
        {
            while (Volatile.Read(ref _exitCode) < 0 && (_reader.HasBuffered || spin!.ReadableNow()))
            {
                ReadAndHandle(onEngineThread: false);
            }
        }
        finally
        {
            _reading.Exit();
        }
    }

    /// <summary>Reads and handles one frame, unless the engine's thread holds the read.</summary>
    private void ReadOneIfFree()
    {
        if (!_reading.TryEnter())
        {
            return;
        }

        try
        {
            ReadAndHandle(onEngineThread: false);
        }
        finally
        {
            _reading.Exit();
        }
    }

    /// <summary>Reads one frame (the caller holds the read) and handles it.</summary>
    private void ReadAndHandle(bool onEngineThread)
    {
        Frame? frame;
        try
        {
            frame = _reader.Read();
        }
        catch (FrameException ex)
        {
            Stop(3, ex.Message);
            return;
        }
        catch (IOException)
        {
            frame = null; // the host is gone: as if it had closed the input
        }

        switch (frame)
        {
            case null:
                Stop(0, null);
                break;
            case RunFrame run when !onEngineThread:
                // The outcome frame is the previous run's last act, so the host may send the next script while that run
                // is still unwinding: let it finish first (it no longer reads frames, and never fails).
                _run.GetAwaiter().GetResult();
                var bridge = new WorkerBridge(run.ToolNames, run.Script.Context.Limits, _writer, spin is null ? null : this, run.MayPoll);
                _active = bridge;
                _calling = false;
                _idle.Reset();
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
                // A run frame while a script waits for its calls too: the host sends one only after the outcome.
                Stop(3, $"unexpected {frame.Type} frame");
                break;
        }
    }

    /// <summary>The worker ends with <paramref name="exitCode"/> (the first reason wins); a running script is cancelled.</summary>
    private void Stop(int exitCode, string? problem)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, -1) != -1)
        {
            return;
        }

        if (problem is not null)
        {
            Console.Error.WriteLine("scriptharness worker: " + problem);
        }

        _active?.Cancel();
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
        try
        {
            _writer.Write(outcome);
        }
        finally
        {
            bridge.Dispose();
            _idle.Set();
        }
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
