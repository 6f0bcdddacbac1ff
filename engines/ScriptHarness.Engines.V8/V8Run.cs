using System.Text.Json;
using Microsoft.ClearScript;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// One script on one fresh V8 engine, run entirely on its runtime's thread (a V8 engine may be used from one thread
/// at a time). Tool calls complete on other threads and are posted back; the pump settles their promises here, and
/// V8 runs the script's continuations inside that call.
/// </summary>
internal sealed partial class V8Run : ScriptRun<V8Run.Completion>
{
    // While over its deadline (or cancelled) the script is interrupted again at this period: an interrupt that
    // arrives while no JavaScript runs is dropped by ClearScript.
    private static readonly TimeSpan InterruptRepeat = TimeSpan.FromMilliseconds(25);

    private readonly WarmEngine _warm;
    private readonly V8ScriptCache _scripts;
    private readonly long _stackBytes;
    // Separate from the run's state: the interrupter never holds a lock the pump takes while script code runs.
    private readonly Lock _interruptGate = new();
    private readonly ITimer _interrupter;
    private CancellationTokenRegistration _registration;
    private ScriptObject? _function;
    private bool _finished;
    // Set once the outcome is decided: from then on every host function of this run refuses (see V8Run.HostFunctions).
    private volatile bool _ended;
    // The script made a FinalizationRegistry: its callbacks could run after the script (see V8Lockdown.Adapter).
    private bool _lingers;
    private bool _retire;
    private ScriptObject? _settle;

    public V8Run(PreparedScript script, IToolBridge tools, CancellationToken hostToken, WarmEngine warm, V8ScriptCache scripts, long stackBytes,
        TimeProvider? time = null)
        : base(script, tools, hostToken, time)
    {
        _warm = warm;
        _scripts = scripts;
        _stackBytes = stackBytes;
        _interrupter = Deadline.Time.CreateTimer(_ => OnInterrupterTick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The tool names and context the script was started with; null until it starts.</summary>
    public V8ScriptShape? Shape { get; private set; }

    /// <summary>The script made a <c>FinalizationRegistry</c>: its runtime must not be used again.</summary>
    public bool Lingers => _lingers;

    protected override void Start()
    {
        _interrupter.Change(Clamp(Deadline.Remaining), Timeout.InfiniteTimeSpan);
        _registration = HostToken.Register(() => OnInterrupterTick());
        // The engine's host functions act for this run from now on.
        _warm.Run = this;
        // Evaluating the compiled wrapper only makes the function; the adapter binds the prelude, then starts it.
        _function = Evaluate();
        Shape = new V8ScriptShape(JsonSerializer.Serialize(Tools.ToolNames), Script.Context.ToScriptJson().ToJsonString());
        _settle = (ScriptObject)_warm.Start.InvokeAsFunction(_function, Shape.ToolNamesJson, Shape.ContextJson, (double)Limits.MemoryBytes);
    }

    // V8 runs the continuations (the script up to its next await) inside this call.
    protected override void Settle(Completion completion) => _settle!.InvokeAsFunction(completion.Id, completion.Envelope);

    // Every way the run can stop becomes an outcome; only the runtime's fate is decided here too.
    protected override ScriptError Fail(Exception exception)
    {
        var retire = false;
        // Before the function exists the stack ran out in V8's parser, not in the script: its shape, as on Jint.
        var error = _function is null && V8ErrorMapper.IsTooDeepToParse(exception)
            ? V8ErrorMapper.TooDeepToParse()
            : V8ErrorMapper.Map(exception, Limits, _stackBytes, HostToken.IsCancellationRequested, out retire);
        _retire |= retire;
        return error;
    }

    protected override ScriptError? LimitOf(ScriptReport report) =>
        report.Code == ScriptErrorCode.RuntimeError.ToCode() && V8ErrorMapper.LimitOf(report.Message) is { } limit
            ? limit == ScriptErrorCode.RecursionLimit ? EngineErrors.CallStack(Limits, _stackBytes) : EngineErrors.MemoryLimit(Limits)
            : null;

    protected override void OnEnded()
    {
        _ended = true;
        _registration.Dispose();
        Finish();
        _function?.Dispose();
        _retire |= _lingers && !DisarmCallbacks();
    }

    protected override EngineResult Conclude(EngineResult outcome)
    {
        if (_refusal is not null)
        {
            // A one-step guard refused a call and terminated the script: that is its end, whatever it caught or did after.
            outcome = EngineResult.Failure(new ScriptError(ScriptErrorCode.MemoryLimit, _refusal));
        }

        // A runtime that saw a FinalizationRegistry is not reused: whatever V8 still holds of the script goes with it.
        return outcome with { RetireRuntime = _retire || _lingers };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _interrupter.Dispose();
            _settle?.Dispose();
        }

        base.Dispose(disposing);
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
    private ScriptObject Evaluate() => (ScriptObject)(_scripts.Get(Script.Script) is { } compiled
        ? _warm.Engine.Evaluate(compiled)
        : _warm.Engine.Evaluate(new DocumentInfo(ScriptSource.SourceName), ScriptSource.Wrap(Script.Script.Source)));

    /// <summary>Interrupts the engine once past the deadline or cancelled, and keeps doing so until the run ends.</summary>
    private void OnInterrupterTick()
    {
        lock (_interruptGate)
        {
            if (_finished)
            {
                return;
            }

            var remaining = Deadline.Remaining;
            if (remaining > TimeSpan.Zero && !HostToken.IsCancellationRequested)
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

    internal readonly record struct Completion(int Id, string Envelope);
}
