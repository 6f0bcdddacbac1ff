using Jint;
using Jint.Native;
using Jint.Native.Promise;
using Jint.Runtime;
using Jint.Runtime.Interop;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// One script on one Jint engine, run entirely on the calling (sandbox) thread: Jint's memory limit counts
/// the allocations of the thread it runs on, so every continuation must run here too. Tool calls complete
/// on other threads and are posted back; the shared run loop (<see cref="ScriptRun{TCompletion}"/>) pumps them
/// and Jint resolves their promises on this thread.
/// </summary>
internal sealed partial class JintRun : ScriptRun<JintRun.Completion>, ISurfaceHost
{
    // Jint's JSON.parse stops at 64 levels by default, where other engines parse far deeper data; 1,000 levels of the
    // recursive parser stay far within the sandbox thread's stack.
    private const int MaxJsonParseDepth = 1_000;

    private readonly ScriptDeadlineConstraint _deadline;
    private readonly ScriptMemoryConstraint _memory;
    private readonly ScriptStackConstraint _stack;
    private Engine? _engine;
    private JintSurface? _surface;
    private OneStepGuards? _guards;

    // threadStackBytes: the stack of the thread the run is made and runs on, which bounds the script's (ScriptStackConstraint).
    public JintRun(PreparedScript script, IToolBridge tools, CancellationToken hostToken, long threadStackBytes, TimeProvider? time = null)
        : base(script, tools, hostToken, time)
    {
        _deadline = new ScriptDeadlineConstraint(Deadline);
        _memory = new ScriptMemoryConstraint(Limits.MemoryBytes);
        _stack = new ScriptStackConstraint(ScriptStackConstraint.BudgetFor(Limits, threadStackBytes));
    }

    protected override void Start()
    {
        var engine = _engine = CreateEngine();
        _guards = OneStepGuards.Install(engine, _memory, Limits.MemoryBytes);
        _surface = new JintSurface(engine, this, _guards);
        var script = engine.Evaluate(JintScripts.Get(Script.Script));
        var promise = engine.Call(script, JsValue.Undefined, []);
        engine.Call(_surface.Then, promise, [new ClrFunction(engine, "finish", Finish), new ClrFunction(engine, "fail", Fail)]);
    }

    protected override void RunContinuations() => _engine!.Advanced.ProcessTasks();

    protected override EngineResult AfterRun(EngineResult outcome) =>
        // The budget is checked between statements and in long loops; a script can end right after crossing it.
        outcome.Error is null && _memory.RemainingBytes < 0 ? EngineResult.Failure(EngineErrors.MemoryLimit(Limits)) : outcome;

    protected override ScriptError Fail(Exception exception) => exception switch
    {
        MemoryLimitExceededException when _guards?.Refusal is { } refusal => new ScriptError(ScriptErrorCode.MemoryLimit, refusal),
        ScriptStackExceededException => EngineErrors.CallStack(Limits, _stack.BudgetBytes),
        _ => JintErrorMapper.Map(exception, Limits),
    };

    protected override void OnEnded()
    {
        _engine?.Dispose();
        _engine = null;
    }

    private Engine CreateEngine() => new(options =>
    {
        options.Constraints.Constraints.Add(_memory);
        options.Constraints.Constraints.Add(_deadline);
        options.Constraints.Constraints.Add(_stack);
        options.LimitRecursion(Limits.MaxRecursionDepth);
        options.CancellationToken(HostToken);
        options.Constraints.StackOverflowGuard = true;
        // A single match cannot be interrupted by the script's deadline, so it may never outlast the script itself.
        options.Constraints.RegexTimeout = Limits.RegexTimeout < Limits.Timeout ? Limits.RegexTimeout : Limits.Timeout;
        options.Json.MaxParseDepth = MaxJsonParseDepth;
        options.Constraints.MaxArraySize = Limits.MaxArrayLength;
        options.Host.StringCompilationAllowed = false;
        options.Strict = false;
    });

    /// <summary>A finished tool call on its way back to the sandbox thread: its value, or the error the script sees.</summary>
    internal readonly record struct Completion(ManualPromise Promise, ToolResult Result);
}
