using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Microsoft.Extensions.Logging;
using ScriptHarness.Context;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>
/// One worker process, seen from the host: its frames in (read and validated by a thread of its own; a broken one kills
/// the worker), its frames out, its resident memory and how it ended. Runs one script at a time (<see cref="RunAsync"/>),
/// holding it to the hard limits: killed past the deadline plus <see cref="ProcessIsolationOptions.KillGrace"/>, over
/// the memory cap, or when a cancellation goes unanswered.
/// </summary>
/// <remarks>
/// The reader thread handles the running script's frames as they arrive (a tool call starts there, a log passes
/// through), with no hop to the thread pool and back on the way; right after it answered a call it polls for the
/// script's next frame before it blocks (<see cref="PipeSpin"/>), so a quick tool's round trip wakes it not at all, while
/// the processors allow it (<see cref="PollGate"/>). Only the outcome hops, so the caller's code never runs on the reader.
/// </remarks>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly System.Diagnostics.Process _process;
    private readonly string _engine;
    private readonly FrameWriter _writer;
    private readonly FrameReader _reader;
    private readonly PipeSpin? _spin;
    private readonly PollGate _gate;
    private readonly ProcessIsolationOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<Frame?> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _readerEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stderrGate = new();
    private readonly Queue<string> _stderr = new();
    private readonly SafeFileHandle? _statm;

    // The hard-limit checks of the running script: one timer for the worker's life, armed by a run and left running
    // while runs follow each other (re-arming a timer for every script could wake the timer thread each time); a tick
    // that finds no script running disarms it.
    private readonly Timer _checks;
    private readonly Lock _checksGate = new();
    private bool _checksArmed;
    private WorkerRun? _run;
    private int _readerDone;
    private string? _killReason;

    private WorkerProcess(System.Diagnostics.Process process, string engine, long memoryBytes, ProcessIsolationOptions options, TimeProvider time, PollGate gate)
    {
        _time = time;
        _gate = gate;
        _process = process;
        _engine = engine;
        _options = options;
        MemoryBytes = memoryBytes;
        _writer = new FrameWriter(process.StandardInput.BaseStream);
        var output = process.StandardOutput.BaseStream;
        _reader = new FrameReader(output, options.MaxFrameBytes);
        _spin = SpinOver(output);
        _statm = OpenStatm(process.Id);
        _checks = new Timer(static state => ((WorkerProcess)state!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The memory limit this worker's hard heap limit was made for (<c>ScriptLimits.MemoryBytes</c>).</summary>
    public long MemoryBytes { get; }

    public int ProcessId => _process.Id;

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public int ScriptsRun { get; set; }

    /// <summary>Whether this worker's engine thread may poll for its answers now (sent with each of them).</summary>
    public bool WorkerMayPoll => _gate.WorkerMayPoll;

    public long IdleSince { get; set; }

    /// <summary>Whether the worker was killed or broke the protocol: it must not run another script.</summary>
    public bool Broken => Volatile.Read(ref _killReason) is not null;

    /// <summary>
    /// Starts a worker hosting <paramref name="engine"/> and waits until it says it is ready. Its runs count in
    /// <paramref name="gate"/> (<see cref="PollGate.Shared"/> when null).
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(
        string engine, long memoryBytes, ProcessIsolationOptions options, TimeProvider time, CancellationToken cancellationToken, PollGate? gate = null)
    {
        var worker = WorkerLocator.Locate(options.WorkerPath);
        var viaDotnet = worker.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(viaDotnet ? WorkerLocator.DotnetHost() : worker)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (viaDotnet)
        {
            start.ArgumentList.Add(worker);
        }

        start.ArgumentList.Add("--engine");
        start.ArgumentList.Add(engine);
        start.ArgumentList.Add("--heap-mb");
        start.ArgumentList.Add(HeapMegabytes(memoryBytes, options).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--max-frame-bytes");
        start.ArgumentList.Add(options.MaxFrameBytes.ToString(CultureInfo.InvariantCulture));
        // Nothing of the host's environment but what the options pass: its secrets are not the worker's business.
        foreach (var name in start.Environment.Keys.Where(name => !Passes(name, options.PassEnvironment)).ToList())
        {
            start.Environment.Remove(name);
        }

        // Small, quiet workers: workstation GC, and no tiered-PGO instrumentation of the few paths a worker runs.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        // No spin-waiting for work in the worker's thread pool: an idle pool thread would spin (sched_yield) for each
        // script's continuation, taking one of two cores from the runtime thread that runs the script and from the host.
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the worker process did not start");
        var result = new WorkerProcess(process, engine, memoryBytes, options, time, gate ?? PollGate.Shared);
        process.ErrorDataReceived += (_, e) => result.KeepStderr(e.Data);
        process.BeginErrorReadLine();
        new Thread(result.ReadLoop) { IsBackground = true, Name = "ScriptHarness.WorkerReader" }.Start();
        try
        {
            var ready = await result._first.Task.WaitAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            if (ready is not ReadyFrame r || !string.Equals(r.Engine, engine, StringComparison.Ordinal))
            {
                throw new FrameException($"the worker did not start as a {engine} worker ({ready?.Type.ToString() ?? "no frame"}; {result.StderrTail()})");
            }

            return result;
        }
        catch
        {
            result.Kill("did not start");
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether <paramref name="name"/> is one of <paramref name="patterns"/>: a name, or a prefix before a trailing <c>*</c>.</summary>
    internal static bool Passes(string name, IReadOnlyList<string> patterns)
    {
        // Windows' variable names are not case-sensitive; everywhere else they are.
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var pattern in patterns)
        {
            if (pattern.EndsWith('*') ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), comparison) : name.Equals(pattern, comparison))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>V8's hard heap limit for a worker made for <paramref name="memoryBytes"/>, in MiB.</summary>
    public static int HeapMegabytes(long memoryBytes, ProcessIsolationOptions options) => MemoryCaps.HeapMegabytes(options.HeapLimitFactor, memoryBytes);

    /// <summary>Runs one script to its end; never throws for the worker's failures (they end the script with engine_crashed).</summary>
    public async Task<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        using var running = _gate.Enter();
        using var run = new WorkerRun(this, _options, script.Context.Limits, tools, _time, cancellationToken);

        // The run is the reader's before its first frame can arrive; a reader already gone can no longer end it.
        Interlocked.Exchange(ref _run, run);
        if (Volatile.Read(ref _readerDone) != 0 || !TrySend(new RunFrame(script, [.. tools.ToolNames], _gate.WorkerMayPoll)))
        {
            Interlocked.CompareExchange(ref _run, null, run);
            return await CrashedAsync(run.Started, cancelledByHost: false).ConfigureAwait(false);
        }

        ArmChecks();
        EngineResult? result;
        try
        {
            result = await run.Ended.ConfigureAwait(false);
        }
        finally
        {
            // The engine cancels its calls still running when the script ends (after the grace period); its outcome
            // comes after that, so calls still running here are cancelled too — also when the worker died.
            Interlocked.CompareExchange(ref _run, null, run);
            await run.StopAsync().ConfigureAwait(false);
        }

        return result ?? await CrashedAsync(run.Started, run.CancelledByHost).ConfigureAwait(false);
    }

    private void ArmChecks()
    {
        lock (_checksGate)
        {
            if (!_checksArmed)
            {
                _checksArmed = true;
                _checks.Change(CheckInterval, CheckInterval);
            }
        }
    }

    /// <summary>The timer: the running script's checks, or (none running) the timer disarmed until the next run arms it.</summary>
    private void Tick()
    {
        if (Volatile.Read(ref _run) is { } run)
        {
            run.Check();
            return;
        }

        lock (_checksGate)
        {
            // A run is made the worker's before it arms the timer, so one that started since the read above is seen here.
            if (_checksArmed && Volatile.Read(ref _run) is null)
            {
                _checksArmed = false;
                _checks.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    /// <summary>The result an outcome frame carries; a frame that breaks the protocol throws <see cref="FrameException"/>.</summary>
    /// <remarks>
    /// The worker's engine held the value and the error to the limits already; the host does not take a worker's word for
    /// it (whatever runs in it may have broken it): a value over the return limit is <c>return_value_too_large</c> as an
    /// engine in this process makes it, and a message or stack is cut at the length engines cut them.
    /// </remarks>
    private static EngineResult ToResult(OutcomeFrame outcome, ScriptLimits limits)
    {
        if (outcome.ErrorCode is null && outcome.ValueJson is { } json && Encoding.UTF8.GetByteCount(json) > limits.MaxReturnValueBytes)
        {
            return ScriptSource.ReturnValue(json, limits) with { Duration = outcome.Duration, RetireRuntime = outcome.RetireRuntime };
        }

        var value = WireJson.Parse(outcome.ValueJson);
        if (outcome.ErrorCode is null)
        {
            return EngineResult.Success(value) with { Duration = outcome.Duration, RetireRuntime = outcome.RetireRuntime };
        }

        if (!ScriptErrorCodes.TryParse(outcome.ErrorCode, out var code))
        {
            throw new FrameException($"unknown error code '{outcome.ErrorCode}'");
        }

        var error = new ScriptError(code, EngineErrors.Message(outcome.ErrorMessage!))
        {
            Line = outcome.Line,
            Column = outcome.Column,
            Stack = outcome.Stack is { } stack ? EngineErrors.Message(stack) : null,
        };
        return EngineResult.Failure(error, value) with { Duration = outcome.Duration, RetireRuntime = outcome.RetireRuntime };
    }

    private async Task<EngineResult> CrashedAsync(long started, bool cancelledByHost)
    {
        // The reader saw the end of the worker's output: wait for the exit itself to tell how it ended.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill("stopped answering");
            }
        }

        var duration = _time.GetElapsedTime(started);
        if (cancelledByHost)
        {
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled")) with { Duration = duration, RetireRuntime = true };
        }

        return EngineResult.Failure(new ScriptError(ScriptErrorCode.EngineCrashed, "the script's engine process ended: " + EndReason()))
            with { Duration = duration, RetireRuntime = true };
    }

    /// <summary>Why the worker ended, in plain words: what the host killed it for, or its exit as the system saw it.</summary>
    internal string EndReason()
    {
        if (Volatile.Read(ref _killReason) is { } reason)
        {
            return reason;
        }

        var code = HasExited ? _process.ExitCode : -1;
        var tail = StderrTail();
        return tail.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || tail.Contains("OutOfMemory", StringComparison.Ordinal)
            ? $"the engine ran out of memory (the worker exited with {code})"
            : code == 137 ? "the worker was killed (exited with 137, SIGKILL)"
            : $"the worker exited with {code}";
    }

    /// <summary>Kills the worker once; the first reason is the one reported.</summary>
    public void Kill(string reason)
    {
        Interlocked.CompareExchange(ref _killReason, reason, null);
        try
        {
            _process.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>The worker's resident memory now (from /proc), 0 when it cannot be read.</summary>
    /// <remarks>
    /// One <c>pread</c> of <c>/proc/[pid]/statm</c> through a handle opened at start (a proc file regenerates when read
    /// from offset 0): no open, no close and no garbage on the path every script takes (the pool checks it on release).
    /// The handle stays bound to this process, so a recycled process id can never be measured instead.
    /// </remarks>
    public long ResidentBytes()
    {
        if (_statm is null)
        {
            return 0;
        }

        Span<byte> text = stackalloc byte[128];
        try
        {
            var n = RandomAccess.Read(_statm, text, 0);
            return ResidentPages(text[..n]) * Environment.SystemPageSize;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>The second field of <c>statm</c> (resident pages); 0 when it is not there.</summary>
    internal static long ResidentPages(ReadOnlySpan<byte> statm)
    {
        var space = statm.IndexOf((byte)' ');
        if (space < 0)
        {
            return 0;
        }

        var field = statm[(space + 1)..];
        var end = field.IndexOfAny((byte)' ', (byte)'\n');
        return System.Buffers.Text.Utf8Parser.TryParse(end < 0 ? field : field[..end], out long pages, out var used) && used > 0 ? pages : 0;
    }

    /// <summary>The reader thread's poll of the worker's output (<see cref="PipeSpin"/>); null where it cannot poll.</summary>
    private static PipeSpin? SpinOver(Stream output) =>
        output is System.IO.Pipes.PipeStream pipe ? PipeSpin.Over((int)pipe.SafePipeHandle.DangerousGetHandle(), PipeSpin.DefaultBudget) : null;

    private static SafeFileHandle? OpenStatm(int processId)
    {
        try
        {
            return File.OpenHandle($"/proc/{processId}/statm");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Test seam: bytes as they are, straight into the worker's input.</summary>
    internal void SendRaw(ReadOnlySpan<byte> bytes) => _writer.WriteRaw(bytes);

    internal bool TrySend(Frame frame)
    {
        try
        {
            _writer.Write(frame);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The reader thread: the ready frame, then every frame of the worker's runs, handled as it arrives. It ends with the
    /// worker's output; a frame that breaks the protocol kills the worker first. Either way the running script ends.
    /// </summary>
    private void ReadLoop()
    {
        try
        {
            var first = _reader.Read();
            _first.TrySetResult(first);
            if (first is not ReadyFrame ready || !string.Equals(ready.Engine, _engine, StringComparison.Ordinal))
            {
                return; // StartAsync refuses it.
            }

            var answered = false;
            while (true)
            {
                // Right after this thread answered a tool call, the script's next frame usually comes within
                // microseconds: poll for it rather than sleep, unless the processors are taken by more scripts. After
                // anything else (an outcome, a heartbeat), sleep.
                if (answered && !_reader.HasBuffered && _gate.HostMayPoll)
                {
                    _spin?.UntilReadable();
                }

                if (_reader.Read() is not { } frame)
                {
                    break;
                }

                // A log line between two calls keeps the pace of the calls.
                answered = Dispatch(frame) || (answered && frame is LogFrame or ProgressFrame);
            }
        }
        catch (FrameException ex)
        {
            Kill("sent a malformed frame: " + ex.Message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke: the worker is gone; its exit tells why.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The host's side of a frame failed (a bridge that threw): the run gets the exception, as the engine's
            // caller would from an in-process engine; the worker cannot be trusted to be in step any more.
            Volatile.Read(ref _run)?.Fail(ex);
            Kill("its frames could not be handled by the host");
        }
        finally
        {
            _first.TrySetResult(null);
            Interlocked.Exchange(ref _readerDone, 1);
            Interlocked.Exchange(ref _run, null)?.WorkerEnded();
            _readerEnded.TrySetResult();
        }
    }

    /// <summary>Handles one frame of the worker's; true when it was a tool call (answered here, or started).</summary>
    private bool Dispatch(Frame frame)
    {
        switch (frame)
        {
            case HeartbeatFrame:
                break;
            case ReadyFrame or RunFrame or ToolResultFrame or ApprovalWaitFrame or CancelFrame:
                throw new FrameException($"{frame.Type} is not a worker's frame");
            case OutcomeFrame outcome:
                var run = Volatile.Read(ref _run) ?? throw new FrameException("an outcome with no script running");
                var result = ToResult(outcome, run.Limits);
                Interlocked.CompareExchange(ref _run, null, run);
                run.Complete(result);
                break;
            case ToolCallFrame call:
                (Volatile.Read(ref _run) ?? throw new FrameException("a tool call with no script running")).StartCall(call);
                return true;
            case LogFrame log:
                // A line the engine wrote after its script's outcome has no script to go to.
                Volatile.Read(ref _run)?.Tools.Log((LogLevel)log.Level, log.Message);
                break;
            case ProgressFrame progress:
                Volatile.Read(ref _run)?.Tools.Progress(progress.Message);
                break;
            default:
                throw new FrameException($"{frame.Type} is not a worker's frame");
        }

        return false;
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderrGate)
        {
            _stderr.Enqueue(line.Length > 400 ? line[..400] : line);
            while (_stderr.Count > 20)
            {
                _stderr.Dequeue();
            }
        }
    }

    internal string StderrTail()
    {
        lock (_stderrGate)
        {
            return string.Join(" | ", _stderr);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // End of input is the worker's signal to exit; one that does not is killed.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is already broken.
        }

        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill("did not exit when asked");
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }
        }

        // The reader ends with the worker's output (its last holder is the process just gone).
        await _readerEnded.Task.ConfigureAwait(false);
        await _checks.DisposeAsync().ConfigureAwait(false);
        _statm?.Dispose();
        _process.Dispose();
    }
}
