using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ScriptHarness.Context;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>
/// One worker process, seen from the host: its frames in (validated by a reader task; a broken one kills the worker),
/// its frames out, its resident memory and how it ended. Runs one script at a time (<see cref="RunAsync"/>), holding it
/// to the hard limits: killed past the deadline plus <see cref="ProcessIsolationOptions.KillGrace"/>, over the memory
/// cap, or when a cancellation goes unanswered.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly System.Diagnostics.Process _process;
    private readonly FrameWriter _writer;
    private readonly Stream _output;
    private readonly ProcessIsolationOptions _options;
    private readonly Channel<Frame> _frames = Channel.CreateBounded<Frame>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _stderrGate = new();
    private readonly Queue<string> _stderr = new();
    private Task _reader = Task.CompletedTask;
    private string? _killReason;

    private WorkerProcess(System.Diagnostics.Process process, long memoryBytes, ProcessIsolationOptions options)
    {
        _process = process;
        _options = options;
        MemoryBytes = memoryBytes;
        _writer = new FrameWriter(process.StandardInput.BaseStream);
        _output = process.StandardOutput.BaseStream;
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

    public long IdleSince { get; set; }

    /// <summary>Whether the worker was killed or broke the protocol: it must not run another script.</summary>
    public bool Broken => Volatile.Read(ref _killReason) is not null;

    /// <summary>Starts a worker hosting <paramref name="engine"/> and waits until it says it is ready.</summary>
    public static async Task<WorkerProcess> StartAsync(string engine, long memoryBytes, ProcessIsolationOptions options, CancellationToken cancellationToken)
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
        // Small, quiet workers: workstation GC, and no tiered-PGO instrumentation of the few paths a worker runs.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the worker process did not start");
        var result = new WorkerProcess(process, memoryBytes, options);
        process.ErrorDataReceived += (_, e) => result.KeepStderr(e.Data);
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            var ready = await FrameCodec.ReadAsync(result._output, options.MaxFrameBytes, timeout.Token).ConfigureAwait(false);
            if (ready is not ReadyFrame r || !string.Equals(r.Engine, engine, StringComparison.Ordinal))
            {
                throw new FrameException($"the worker did not start as a {engine} worker ({ready?.Type.ToString() ?? "no frame"}; {result.StderrTail()})");
            }

            result._reader = Task.Run(result.ReadLoopAsync, CancellationToken.None);
            return result;
        }
        catch
        {
            result.Kill("did not start");
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>V8's hard heap limit for a worker made for <paramref name="memoryBytes"/>, in MiB.</summary>
    public static long HeapMegabytes(long memoryBytes, ProcessIsolationOptions options) => (options.HeapLimitFactor * memoryBytes / MiB) + 32;

    /// <summary>Runs one script to its end; never throws for the worker's failures (they end the script with engine_crashed).</summary>
    public async Task<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var limits = script.Context.Limits;
        var hardCap = _options.WorkerBaseBytes + (_options.HardMemoryFactor * limits.MemoryBytes);
        var calls = new HashSet<long>();
        var lastCheck = started;
        var lastPaused = TimeSpan.Zero;
        var waitingSent = false;
        long? cancelSentAt = null;
        var cancelledByHost = false;

        if (!TrySend(new RunFrame(script, [.. tools.ToolNames])))
        {
            return await CrashedAsync(started, cancelledByHost).ConfigureAwait(false);
        }

        using var ticker = new Timer(_ => _frames.Writer.TryWrite(TickFrame.Instance), null, CheckInterval, CheckInterval);

        // The engine cancels its calls still running when the script ends (after the grace period); its outcome comes
        // after that, so calls still running here when the run ends are cancelled too — also when the worker died.
        using var callsCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await LoopAsync().ConfigureAwait(false);
        }
        finally
        {
            await callsCancellation.CancelAsync().ConfigureAwait(false);
        }

        async Task<EngineResult> LoopAsync()
        {
        while (true)
        {
            Frame frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return await CrashedAsync(started, cancelledByHost).ConfigureAwait(false);
            }

            switch (frame)
            {
                case OutcomeFrame outcome:
                    if (ToResult(outcome) is { } result)
                    {
                        return result;
                    }

                    break;
                case ToolCallFrame call:
                    StartCall(call);
                    break;
                case LogFrame log:
                    tools.Log((LogLevel)log.Level, log.Message);
                    break;
                case ProgressFrame progress:
                    tools.Progress(progress.Message);
                    break;
                case TickFrame:
                    break;
                default:
                    Kill($"sent a malformed frame: {frame.Type} is not a worker's frame");
                    break;
            }

            if (Stopwatch.GetElapsedTime(lastCheck) >= CheckInterval)
            {
                lastCheck = Stopwatch.GetTimestamp();
                Check();
            }
        }
        }

        void Check()
        {
            if (cancellationToken.IsCancellationRequested && cancelSentAt is null)
            {
                cancelSentAt = Stopwatch.GetTimestamp();
                TrySend(CancelFrame.Instance);
            }

            if (cancelSentAt is { } at && Stopwatch.GetElapsedTime(at) > _options.KillGrace)
            {
                cancelledByHost = true;
                Kill("did not answer the cancellation");
            }

            var paused = tools.PausedTime;
            if (paused != lastPaused || waitingSent)
            {
                waitingSent = paused != lastPaused;
                lastPaused = paused;
                TrySend(new ApprovalWaitFrame(paused, waitingSent));
            }

            var limit = limits.Timeout + paused + _options.KillGrace;
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                Kill($"killed at the time limit (no outcome {_options.KillGrace.TotalMilliseconds:0} ms after the {limits.Timeout.TotalMilliseconds:0} ms limit)");
            }

            if (ResidentBytes() is var rss && rss > hardCap)
            {
                Kill($"the engine ran out of memory ({rss / MiB} MiB resident, over the hard cap of {hardCap / MiB} MiB)");
            }
        }

        void StartCall(ToolCallFrame call)
        {
            JsonNode? args;
            try
            {
                args = WireJson.Parse(call.ArgumentsJson);
            }
            catch (FrameException)
            {
                Kill("sent a malformed frame: tool arguments that are not JSON");
                return;
            }

            if (!calls.Add(call.CallId) || calls.Count > limits.MaxToolCalls + 1024)
            {
                Kill("sent a malformed frame: a repeated call id or a flood of tool calls");
                return;
            }

            _ = CallAsync(call.CallId, call.Tool, args);
        }

        async Task CallAsync(long id, string tool, JsonNode? args)
        {
            ToolResultFrame answer;
            try
            {
                var result = await tools.InvokeAsync(tool, args, callsCancellation.Token).ConfigureAwait(false);
                answer = result.IsSuccess
                    ? new ToolResultFrame(id, WireJson.Text(result.Value) ?? "null", null, null)
                    : new ToolResultFrame(id, null, result.Error.WireCode, result.Error.Message);
            }
            catch (OperationCanceledException)
            {
                answer = new ToolResultFrame(id, null, ScriptErrorCode.Cancelled.ToCode(), $"the call to {tool} was cancelled");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The bridge must not throw; if it does, the script still gets an answer instead of waiting forever.
                answer = new ToolResultFrame(id, null, ScriptErrorCode.HarnessInternal.ToCode(), $"internal error while calling {tool}");
            }

            TrySend(answer);
        }
    }

    private EngineResult? ToResult(OutcomeFrame outcome)
    {
        try
        {
            var value = WireJson.Parse(outcome.ValueJson);
            if (outcome.ErrorCode is null)
            {
                return EngineResult.Success(value) with { Duration = outcome.Duration, RetireRuntime = outcome.RetireRuntime };
            }

            if (!ScriptErrorCodes.TryParse(outcome.ErrorCode, out var code))
            {
                Kill($"sent a malformed frame: unknown error code '{outcome.ErrorCode}'");
                return null;
            }

            var error = new ScriptError(code, outcome.ErrorMessage!) { Line = outcome.Line, Column = outcome.Column, Stack = outcome.Stack };
            return EngineResult.Failure(error, value) with { Duration = outcome.Duration, RetireRuntime = outcome.RetireRuntime };
        }
        catch (FrameException)
        {
            Kill("sent a malformed frame: a value that is not JSON");
            return null;
        }
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

        var duration = Stopwatch.GetElapsedTime(started);
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
    public long ResidentBytes()
    {
        try
        {
            var statm = File.ReadAllText($"/proc/{_process.Id}/statm");
            var fields = statm.Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages) ? pages * Environment.SystemPageSize : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>Test seam: bytes as they are, straight into the worker's input.</summary>
    internal void SendRaw(ReadOnlySpan<byte> bytes) => _writer.WriteRaw(bytes);

    private bool TrySend(Frame frame)
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

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await FrameCodec.ReadAsync(_output, _options.MaxFrameBytes, CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                switch (frame)
                {
                    case HeartbeatFrame:
                        break;
                    case ReadyFrame or RunFrame or ToolResultFrame or ApprovalWaitFrame or CancelFrame:
                        throw new FrameException($"{frame.Type} is not a worker's frame");
                    default:
                        await _frames.Writer.WriteAsync(frame).ConfigureAwait(false);
                        break;
                }
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
        finally
        {
            _frames.Writer.TryComplete();
        }
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

        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>The host's own clock tick in the frame stream: time to check the limits even when the worker is silent.</summary>
    private sealed record TickFrame() : Frame((FrameType)(-1))
    {
        public static TickFrame Instance { get; } = new();
    }
}
