using System.Diagnostics;
using System.Text.Json;
using Microsoft.ClearScript;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// One script on one fresh V8 engine, run entirely on its runtime's thread (a V8 engine may be used from one thread
/// at a time). Tool calls complete on other threads and are posted back; the pump settles their promises here, and
/// V8 runs the script's continuations inside that call.
/// </summary>
internal sealed partial class V8Run : IDisposable
{
    // While over its deadline (or cancelled) the script is interrupted again at this period: an interrupt that
    // arrives while no JavaScript runs is dropped by ClearScript.
    private static readonly TimeSpan InterruptRepeat = TimeSpan.FromMilliseconds(25);

    private readonly PreparedScript _script;
    private readonly IToolBridge _tools;
    private readonly ScriptLimits _limits;
    private readonly CancellationToken _hostToken;
    private readonly CancellationTokenSource _calls;
    private readonly WarmEngine _warm;
    private readonly V8ScriptCache _scripts;
    private readonly long _stackBytes;
    private readonly HostCompletionQueue<Completion> _completions = new();
    private readonly Lock _gate = new();
    // Separate from _gate: the interrupter never holds the lock the pump takes while script code runs.
    private readonly Lock _interruptGate = new();
    private readonly long _startTimestamp;
    private readonly Timer _interrupter;
    private bool _finished;
    // Set once the outcome is decided: from then on every host function of this run refuses (see V8Run.HostFunctions).
    private volatile bool _ended;
    // The script made a FinalizationRegistry: its callbacks could run after the script (see V8Lockdown.Adapter).
    private bool _lingers;
    private RunResult? _result;
    private ScriptObject? _settle;

    public V8Run(PreparedScript script, IToolBridge tools, CancellationToken hostToken, WarmEngine warm, V8ScriptCache scripts, long stackBytes)
    {
        _script = script;
        _tools = tools;
        _limits = script.Context.Limits;
        _hostToken = hostToken;
        _warm = warm;
        _scripts = scripts;
        _stackBytes = stackBytes;
        _calls = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        _startTimestamp = Stopwatch.GetTimestamp();
        _interrupter = new Timer(_ => OnInterrupterTick());
    }

    /// <summary>The script made a <c>FinalizationRegistry</c>: its runtime must not be used again.</summary>
    public bool Lingers => _lingers;

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>The deadline moves with the time the script spent waiting for people (approvals).</summary>
    private TimeSpan Remaining => _limits.Timeout + _tools.PausedTime - Elapsed;

    /// <summary>Runs the script to its result, which also tells whether the runtime must not be used again.</summary>
    public EngineResult Execute()
    {
        EngineResult outcome;
        var retire = false;
        _interrupter.Change(Clamp(Remaining), Timeout.InfiniteTimeSpan);
        var registration = _hostToken.Register(() => OnInterrupterTick());
        try
        {
            _hostToken.ThrowIfCancellationRequested();
            // Evaluating the compiled wrapper only makes the function; the adapter runs the prelude, then starts it.
            using var function = Evaluate();
            _settle = (ScriptObject)_warm.Adapter.InvokeAsFunction(
                _warm.Prelude, function, CreateHostCall(), CreateHostLog(), CreateHostProgress(), CreateHostDone(),
                JsonSerializer.Serialize(_tools.ToolNames), _script.Context.ToScriptJson().ToJsonString(), (double)_limits.MemoryBytes,
                _warm.Guards, CreateHostRefuse());
            var stopped = Pump();
            // Cancelled while it ran, it ends cancelled whatever it returned: its host functions were dead from then on.
            _hostToken.ThrowIfCancellationRequested();
            outcome = stopped ?? ToResult(_result!);
            AllowGracePeriod();
        }
        catch (Exception ex)
        {
            // Every way the run can stop becomes an outcome; only the runtime's fate is decided here too.
            outcome = EngineResult.Failure(V8ErrorMapper.Map(ex, _limits, _stackBytes, _hostToken.IsCancellationRequested, out retire));
        }
        finally
        {
            _ended = true;
            registration.Dispose();
            Finish();
            // Calls still running are cancelled; the tool facade reports them as detached (not the engine).
            _completions.Close();
            _calls.Cancel();
            retire |= _lingers && !DisarmCallbacks();
        }

        if (_refusal is not null)
        {
            // A one-step guard refused a call and terminated the script: that is its end, whatever it caught or did after.
            outcome = EngineResult.Failure(new ScriptError(ScriptErrorCode.MemoryLimit, _refusal));
        }

        // A runtime that saw a FinalizationRegistry is not reused: whatever V8 still holds of the script goes with it.
        return outcome with { Duration = Elapsed, RetireRuntime = retire || _lingers };
    }

    public void Dispose()
    {
        _interrupter.Dispose();
        _settle?.Dispose();
        _calls.Dispose();
    }

    /// <summary>
    /// Makes the script's finalization callbacks do nothing from now on (<c>settle(-1)</c>), so none can run the
    /// finished script's code before the runtime is disposed. False if that failed (the runtime is retired anyway).
    /// </summary>
    private bool DisarmCallbacks()
    {
        try
        {
            _settle?.InvokeAsFunction(-1, string.Empty);
            return _settle is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The script's function in this engine: from the runtime's compiled scripts, or from source.</summary>
    private ScriptObject Evaluate() => (ScriptObject)(_scripts.Get(_script.Script) is { } compiled
        ? _warm.Engine.Evaluate(compiled)
        : _warm.Engine.Evaluate(new DocumentInfo(ScriptStackCleaner.ScriptSourceName), ScriptWrapper.Wrap(_script.Script.Source)));

    /// <summary>Drives promise settlement until the script reports its end, or returns the outcome that stopped it.</summary>
    private EngineResult? Pump()
    {
        while (true)
        {
            Drain();
            if (_result is not null)
            {
                return null;
            }

            _hostToken.ThrowIfCancellationRequested();
            if (_completions.IsIdle)
            {
                // Nothing can ever settle the script's promise: no tool call is pending and there are no timers.
                return EngineResult.Failure(V8ErrorMapper.NeverSettles());
            }

            var remaining = Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                return EngineResult.Failure(V8ErrorMapper.Timeout(_limits));
            }

            // Woken by a completion, or by the deadline, which an approval wait may have moved: check again.
            _completions.Wait(remaining, _hostToken);
        }
    }

    /// <summary>Lets un-awaited tool calls finish within the grace period (their continuations still run).</summary>
    private void AllowGracePeriod()
    {
        var deadline = Elapsed + _limits.GracePeriod;
        while (_completions.Pending > 0)
        {
            var remaining = deadline - Elapsed;
            if (remaining <= TimeSpan.Zero || !_completions.Wait(remaining, _hostToken))
            {
                break;
            }

            Drain();
        }
    }

    private void Drain()
    {
        while (true)
        {
            if (!_completions.TryTake(out var completion))
            {
                return;
            }

            // V8 runs the continuations (the script up to its next await) inside this call.
            _settle!.InvokeAsFunction(completion.Id, completion.Envelope);
        }
    }

    private void Post(Completion completion) => _completions.Post(completion);

    /// <summary>Interrupts the engine once past the deadline or cancelled, and keeps doing so until the run ends.</summary>
    private void OnInterrupterTick()
    {
        lock (_interruptGate)
        {
            if (_finished)
            {
                return;
            }

            var remaining = Remaining;
            if (remaining > TimeSpan.Zero && !_hostToken.IsCancellationRequested)
            {
                _interrupter.Change(Clamp(remaining), Timeout.InfiniteTimeSpan);
                return;
            }

            _warm.Engine.Interrupt();
            _interrupter.Change(InterruptRepeat, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>After this no interrupt can reach the engine; one already requested is withdrawn.</summary>
    private void Finish()
    {
        lock (_interruptGate)
        {
            _finished = true;
            _interrupter.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _warm.Engine.CancelInterrupt();
    }

    private static TimeSpan Clamp(TimeSpan due) =>
        due <= TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : due;

    private EngineResult ToResult(RunResult result)
    {
        if (!result.Ok)
        {
            if (result.Code == ScriptErrorCode.RuntimeError.ToCode() && V8ErrorMapper.LimitOf(result.Message) is { } limit)
            {
                return EngineResult.Failure(limit == ScriptErrorCode.RecursionLimit
                    ? V8ErrorMapper.RecursionLimit(_limits, _stackBytes)
                    : V8ErrorMapper.MemoryLimit(_limits));
            }

            var code = ScriptErrorCodes.TryParse(result.Code ?? string.Empty, out var parsed) ? parsed : ScriptErrorCode.RuntimeError;
            var (stack, line, column) = ScriptStackCleaner.Clean(result.Stack);
            return EngineResult.Failure(new ScriptError(code, Limit(result.Message ?? "error")) { Stack = stack, Line = line, Column = column });
        }

        return ReturnValues.FromJson(result.Json, _limits);
    }

    private static string Limit(string message) => message.Length <= 2000 ? message : string.Concat(message.AsSpan(0, 2000), "…");

    private sealed record RunResult(bool Ok, string? Json, string? Code, string? Message, string? Stack);

    private readonly record struct Completion(int Id, string Envelope);
}
