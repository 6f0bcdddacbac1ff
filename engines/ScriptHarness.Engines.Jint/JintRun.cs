using System.Diagnostics;
using Jint;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Promise;
using Jint.Runtime;
using Jint.Runtime.Interop;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// One script on one Jint engine, run entirely on the calling (sandbox) thread: Jint's memory limit counts
/// the allocations of the thread it runs on, so every continuation must run here too. Tool calls complete
/// on other threads and are posted back; the pump resolves their promises on this thread.
/// </summary>
internal sealed partial class JintRun : ISurfaceHost, IDisposable
{
    // Jint's JSON.parse stops at 64 levels by default, where other engines parse far deeper data; 1,000 levels of the
    // recursive parser stay far within the sandbox thread's stack.
    private const int MaxJsonParseDepth = 1_000;

    private readonly PreparedScript _script;
    private readonly IToolBridge _tools;
    private readonly ScriptLimits _limits;
    private readonly CancellationToken _hostToken;
    private readonly CancellationTokenSource _calls;
    private readonly HostCompletionQueue<Completion> _completions = new();
    private readonly Lock _gate = new();
    private readonly long _startTimestamp;
    private readonly ScriptDeadlineConstraint _deadline;
    private readonly ScriptMemoryConstraint _memory;
    private RunResult? _result;
    private JintSurface? _surface;
    private OneStepGuards? _guards;

    public JintRun(PreparedScript script, IToolBridge tools, CancellationToken hostToken)
    {
        _script = script;
        _tools = tools;
        _limits = script.Context.Limits;
        _hostToken = hostToken;
        _calls = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        _startTimestamp = Stopwatch.GetTimestamp();
        _deadline = new ScriptDeadlineConstraint(_startTimestamp, _limits.Timeout, tools);
        _memory = new ScriptMemoryConstraint(_limits.MemoryBytes);
    }

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>Runs the script to its outcome. Never throws for the script's own failures.</summary>
    public EngineResult Execute()
    {
        EngineResult outcome;
        try
        {
            _hostToken.ThrowIfCancellationRequested();
            using var engine = CreateEngine();
            _guards = OneStepGuards.Install(engine, _memory, _limits.MemoryBytes);
            _surface = new JintSurface(engine, this, _guards);
            var script = engine.Evaluate(JintScripts.Get(_script.Script));
            var promise = engine.Call(script, JsValue.Undefined, []);
            engine.Call(_surface.Then, promise, [new ClrFunction(engine, "finish", Finish), new ClrFunction(engine, "fail", Fail)]);
            var stopped = Pump(engine);
            // Cancelled while it ran, it ends cancelled whatever it returned: its host functions were dead from then on.
            _hostToken.ThrowIfCancellationRequested();
            outcome = stopped ?? ToResult(_result!);
            AllowGracePeriod(engine);
            if (outcome.Error is null && _memory.RemainingBytes < 0)
            {
                // The budget is checked between statements and in long loops; a script can end right after crossing it.
                outcome = EngineResult.Failure(JintErrorMapper.MemoryLimit(_limits));
            }
        }
        catch (MemoryLimitExceededException) when (_guards?.Refusal is { } refusal)
        {
            outcome = EngineResult.Failure(new ScriptError(ScriptErrorCode.MemoryLimit, refusal));
        }
        catch (Exception ex) when (JintErrorMapper.TryMap(ex, _limits, out var error))
        {
            outcome = EngineResult.Failure(error);
        }
        finally
        {
            // Calls still running are cancelled; the tool facade reports them as detached.
            _completions.Close();

            _calls.Cancel();
        }

        return outcome with { Duration = Elapsed };
    }

    public void Dispose()
    {
        // The semaphore stays undisposed: a late completion may still touch it; Post drops it once closed.
        _calls.Dispose();
    }

    private Engine CreateEngine() => new(options =>
    {
        options.Constraints.Constraints.Add(_memory);
        options.Constraints.Constraints.Add(_deadline);
        options.LimitRecursion(_limits.MaxRecursionDepth);
        options.CancellationToken(_hostToken);
        options.Constraints.StackOverflowGuard = true;
        // A single match cannot be interrupted by the script's deadline, so it may never outlast the script itself.
        options.Constraints.RegexTimeout = _limits.RegexTimeout < _limits.Timeout ? _limits.RegexTimeout : _limits.Timeout;
        options.Json.MaxParseDepth = MaxJsonParseDepth;
        options.Constraints.MaxArraySize = _limits.MaxArrayLength;
        options.Host.StringCompilationAllowed = false;
        options.Strict = false;
    });

    /// <summary>Drives promise settlement until the script reports its end, or returns the outcome that stopped it.</summary>
    private EngineResult? Pump(Engine engine)
    {
        while (true)
        {
            Drain();
            engine.Advanced.ProcessTasks();
            if (_result is not null)
            {
                return null;
            }

            if (_completions.IsIdle)
            {
                // Nothing can ever settle the script's promise: no tool call is pending and there are no timers.
                return EngineResult.Failure(new ScriptError(ScriptErrorCode.Timeout,
                    "the script is waiting for a promise that can never settle (no tool call is pending)"));
            }

            var remaining = _deadline.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                return EngineResult.Failure(JintErrorMapper.Timeout(_limits));
            }

            // Woken by a completion, or by the deadline, which an approval wait may have moved: check again.
            _completions.Wait(remaining, _hostToken);
        }
    }

    /// <summary>Lets un-awaited tool calls finish within the grace period (their continuations still run).</summary>
    private void AllowGracePeriod(Engine engine)
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
            engine.Advanced.ProcessTasks();
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

            Settle(completion);
        }
    }

    private void Post(Completion completion) => _completions.Post(completion);

    private EngineResult ToResult(RunResult result)
    {
        if (!result.Ok)
        {
            var code = ScriptErrorCodes.TryParse(result.Code ?? string.Empty, out var parsed) ? parsed : ScriptErrorCode.RuntimeError;
            var (stack, line, column) = ScriptStackCleaner.Clean(result.Stack);
            return EngineResult.Failure(new ScriptError(code, Limit(result.Message ?? "error")) { Stack = stack, Line = line, Column = column });
        }

        return ReturnValues.FromJson(result.Json, _limits);
    }

    private static string Limit(string message) => message.Length <= 2000 ? message : string.Concat(message.AsSpan(0, 2000), "…");

    private sealed record RunResult(bool Ok, string? Json, string? Code, string? Message, string? Stack);

    /// <summary>A finished tool call on its way back to the sandbox thread: its value, or the error the script sees.</summary>
    private readonly record struct Completion(ManualPromise Promise, ToolResult Result);
}
