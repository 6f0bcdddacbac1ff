using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The run loop every engine shares: one script, run entirely on the calling thread (the engine's thread), from its
/// start to its result. Tool calls complete on other threads and are posted back as <typeparamref name="TCompletion"/>;
/// the pump settles them here, where the engine may run, until the script reports its end (<see cref="Report"/>), its
/// deadline passes, it can never end, or the host cancels it. Un-awaited calls then get a grace period, and whatever
/// stopped the run becomes an <see cref="EngineResult"/>: this never throws for the script's own failures.
/// </summary>
/// <remarks>
/// An engine adapter supplies only what is engine-specific: how to start the script (<see cref="Start"/>), how to
/// settle one completion (<see cref="Settle"/>), how to run pending continuations (<see cref="RunContinuations"/>),
/// and how its exceptions map to errors (<see cref="Fail"/>). Time is read from the run's <see cref="ScriptDeadline"/>,
/// so a test on a fake <see cref="TimeProvider"/> moves it without waiting.
/// </remarks>
/// <typeparam name="TCompletion">What the engine needs to settle one finished tool call.</typeparam>
public abstract class ScriptRun<TCompletion> : IDisposable
{
    private readonly CancellationTokenSource _calls;
    private ScriptReport? _report;

    /// <summary>Prepares the run of <paramref name="script"/>; its deadline starts now.</summary>
    /// <param name="script">The script, with its context and limits.</param>
    /// <param name="tools">The bridge its tool calls, logs and progress go through.</param>
    /// <param name="hostToken">Cancels the run: the script ends <c>cancelled</c>.</param>
    /// <param name="time">The clock of the deadline and grace period (the system clock when null).</param>
    protected ScriptRun(PreparedScript script, IToolBridge tools, CancellationToken hostToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(tools);
        Script = script;
        Tools = tools;
        Limits = script.Context.Limits;
        HostToken = hostToken;
        _calls = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        Deadline = new ScriptDeadline(Limits.Timeout, tools, time);
    }

    /// <summary>The script being run.</summary>
    protected PreparedScript Script { get; }

    /// <summary>The run's tool bridge.</summary>
    protected IToolBridge Tools { get; }

    /// <summary>The script's limits.</summary>
    protected ScriptLimits Limits { get; }

    /// <summary>The host's cancellation of the run.</summary>
    protected CancellationToken HostToken { get; }

    /// <summary>Cancelled when the run ends (or the host cancels): tool calls still running are then detached.</summary>
    protected CancellationToken CallsToken => _calls.Token;

    /// <summary>The run's deadline.</summary>
    public ScriptDeadline Deadline { get; }

    /// <summary>Completions of tool calls on their way back to this thread.</summary>
    protected HostCompletionQueue<TCompletion> Completions { get; } = new();

    /// <summary>Whether the script has reported its end.</summary>
    protected bool HasReported => _report is not null;

    /// <summary>Runs the script to its result. Never throws for the script's own failures.</summary>
    public EngineResult Execute()
    {
        EngineResult outcome;
        try
        {
            HostToken.ThrowIfCancellationRequested();
            Start();
            var stopped = Pump();
            // Cancelled while it ran, it ends cancelled whatever it returned: its host functions were dead from then on.
            HostToken.ThrowIfCancellationRequested();
            outcome = stopped ?? ToResult(_report!);
            AllowGracePeriod();
            outcome = AfterRun(outcome);
        }
        catch (Exception ex)
        {
            // Every way the run can stop becomes a result.
            outcome = EngineResult.Failure(Fail(ex));
        }
        finally
        {
            OnEnded();
            // Calls still running are cancelled; the tool facade reports them as detached (not the engine).
            Completions.Close();
            _calls.Cancel();
        }

        return Conclude(outcome) with { Duration = Deadline.Elapsed };
    }

    /// <summary>Releases the run's cancellation source (the completion queue is left to late completions).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the engine's resources for this run.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _calls.Dispose();
        }
    }

    /// <summary>Starts the script; it reports its end through <see cref="Report"/>, now or from a later continuation.</summary>
    protected abstract void Start();

    /// <summary>Settles one finished tool call inside the engine (its continuations may run within).</summary>
    protected abstract void Settle(TCompletion completion);

    /// <summary>Runs the continuations settled calls made ready, for an engine that does not run them in <see cref="Settle"/>.</summary>
    protected virtual void RunContinuations()
    {
    }

    /// <summary>The error for an exception that stopped the run (the engine's own, cancellation, a limit).</summary>
    protected abstract ScriptError Fail(Exception exception);

    /// <summary>A last look at a result the run reached normally (after the grace period).</summary>
    protected virtual EngineResult AfterRun(EngineResult outcome) => outcome;

    /// <summary>Called once the outcome is decided, before late completions are shut out: host functions go dead here.</summary>
    protected virtual void OnEnded()
    {
    }

    /// <summary>The final word on the result, however it was reached (a refusal that overrides it, the runtime's fate).</summary>
    protected virtual EngineResult Conclude(EngineResult outcome) => outcome;

    /// <summary>The error a script reported, when the engine knows it is really a limit; null keeps the script's error.</summary>
    protected virtual ScriptError? LimitOf(ScriptReport report) => null;

    /// <summary>Records the script's end; only the first report counts.</summary>
    protected void Report(ScriptReport report) => _report ??= report;

    /// <summary>
    /// Starts a tool call. A call that completed at once returns its result (the engine hands it over in place);
    /// otherwise this returns null and the completion, made by <paramref name="completion"/> from
    /// <paramref name="state"/> and the result, is posted back to the pump when the call ends. A bridge that throws
    /// (a defect) still gives the script a typed error, never the exception.
    /// </summary>
    /// <remarks>
    /// The state is passed apart from the factory so that a <see langword="static"/> lambda serves every call: a
    /// capturing one would cost a closure and a delegate on each call, most of which complete at once and never use it.
    /// </remarks>
    /// <typeparam name="TState">What the engine needs to find the call again (its promise, its id).</typeparam>
    protected ToolResult? StartCall<TState>(string name, JsonNode? arguments, TState state, Func<TState, ToolResult, TCompletion> completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ValueTask<ToolResult> call;
        try
        {
            call = Tools.InvokeAsync(name, arguments, CallsToken);
        }
        catch (Exception ex)
        {
            call = ValueTask.FromException<ToolResult>(ex);
        }

        if (call.IsCompleted)
        {
            return ToolEnvelope.Result(call);
        }

        Completions.CallStarted();
        _ = CompleteLaterAsync(call, state, completion);
        return null;
    }

    private async Task CompleteLaterAsync<TState>(ValueTask<ToolResult> call, TState state, Func<TState, ToolResult, TCompletion> completion)
    {
        // A ValueTask may be consumed once; a Task may be observed again by ToolEnvelope.Result.
        var task = call.AsTask();
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed through ToolEnvelope.Result below; the script gets the error, never the exception.
        }

        Completions.Post(completion(state, ToolEnvelope.Result(new ValueTask<ToolResult>(task))));
    }

    /// <summary>Drives promise settlement until the script reports its end, or returns the result that stopped it.</summary>
    private EngineResult? Pump()
    {
        while (true)
        {
            Drain();
            if (_report is not null)
            {
                return null;
            }

            HostToken.ThrowIfCancellationRequested();
            if (Completions.IsIdle)
            {
                return EngineResult.Failure(EngineErrors.NeverSettles());
            }

            var remaining = Deadline.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                return EngineResult.Failure(EngineErrors.Timeout(Limits));
            }

            // Woken by a completion, or by the deadline, which an approval wait may have moved: check again.
            WaitForCompletions(remaining);
        }
    }

    /// <summary>Lets un-awaited tool calls finish within the grace period (their continuations still run).</summary>
    private void AllowGracePeriod()
    {
        var end = Deadline.Elapsed + Limits.GracePeriod;
        while (Completions.Pending > 0)
        {
            var remaining = end - Deadline.Elapsed;
            if (remaining <= TimeSpan.Zero || !WaitForCompletions(remaining))
            {
                break;
            }

            Drain();
        }
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for completions: on the bridge's own channel when it can receive on this
    /// thread (<see cref="IReceivingToolBridge"/>), else until another thread posts one. True when the run should look again.
    /// </summary>
    private bool WaitForCompletions(TimeSpan timeout) =>
        (Tools is IReceivingToolBridge receiver && receiver.Receive(timeout, HostToken)) || Completions.Wait(timeout, HostToken);

    private void Drain()
    {
        while (Completions.TryTake(out var completion))
        {
            Settle(completion);
        }

        RunContinuations();
    }

    private EngineResult ToResult(ScriptReport report)
    {
        if (report.Ok)
        {
            return ScriptSource.ReturnValue(report.Json, Limits);
        }

        if (LimitOf(report) is { } limit)
        {
            return EngineResult.Failure(limit);
        }

        var code = ScriptErrorCodes.TryParse(report.Code ?? string.Empty, out var parsed) ? parsed : ScriptErrorCode.RuntimeError;
        var (stack, line, column) = ScriptSource.CleanStack(report.Stack);
        return EngineResult.Failure(new ScriptError(code, EngineErrors.Message(report.Message ?? "error")) { Stack = stack, Line = line, Column = column });
    }
}
