using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;
using ScriptHarness.State;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>What every run of one harness shares: options, engine, tools, validator, the tool gate.</summary>
internal sealed partial class HarnessServices : IDisposable
{
    private readonly ToolExecutionGate _gate;
    private readonly ToolArgumentValidator _argumentValidator = new();
    private readonly ToolServices _defaultToolServices;

    // Cancelled when the harness is disposed: every run still going links it, so none keeps running scripts, calling
    // tools or starting blocks for a harness that is gone. Never disposed itself: it holds no timer, and runs ending
    // after the harness still read its token.
    private readonly CancellationTokenSource _disposing = new();

    public HarnessServices(ScriptHarnessOptions options, IScriptEngineFactory engine, ToolRegistry tools, IApprovalService approvals, ILogger logger, TimeProvider time, ApprovalPolicy? approvalPolicy = null,
        IScriptStateStore? stateStore = null)
    {
        Options = options;
        Engine = engine;
        Tools = tools;
        Approvals = approvals;
        Logger = logger;
        Time = time;
        Validator = new ScriptValidator(new ScriptValidatorOptions { MaxScriptBytes = options.Limits.MaxScriptBytes });
        _gate = new ToolExecutionGate(options.MaxConcurrentToolExecutions, options.MaxAbandonedToolExecutions, time, logger);
        _defaultToolServices = new ToolServices(_gate, _argumentValidator, approvals, logger, time) {
            Policy = approvalPolicy,
            HarnessTools = new HarnessTools(tools, stateStore, options.State),
        };
        StateStore = stateStore;
    }

    public ScriptHarnessOptions Options { get; }

    public IScriptEngineFactory Engine { get; }

    public ToolRegistry Tools { get; }

    public IApprovalService Approvals { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public ScriptValidator Validator { get; }

    /// <summary>Where scripts keep state across blocks; none when null (<c>store</c>/<c>load</c> then fail with <c>state_unavailable</c>).</summary>
    public IScriptStateStore? StateStore { get; }

    public ToolExecutionStatistics ToolStatistics => _gate.Statistics;

    // Validation depends only on the source (the limits are fixed per harness), and models repeat themselves.
    private readonly BoundedCache<string, ScriptValidationResult> _validated = new(256, StringComparer.Ordinal);

    /// <summary>Validates <paramref name="source"/>, from the cache when the same source was seen before.</summary>
    public ScriptValidationResult Validate(string source) => _validated.GetOrAdd(source, Validator.Validate);

    public ToolServices ToolServicesFor(IApprovalService approvals) =>
        ReferenceEquals(approvals, Approvals) ? _defaultToolServices : _defaultToolServices with { Approvals = approvals };

    public void LogInternal(Exception exception, string stage) => LogStageFailure(Logger, stage, exception);

    /// <summary>Cancelled once the harness is disposed.</summary>
    public CancellationToken Disposing => _disposing.Token;

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the harness is disposed: it starts nothing more.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, typeof(HarnessPipeline));

    public void Dispose()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        // Runs first: their scripts and calls end as cancelled before the threads their handlers may run on go.
        try
        {
            _disposing.Cancel();
        }
        catch (AggregateException ex)
        {
            // A callback of a run's token failed; disposal goes on.
            LogInternal(ex, "dispose");
        }

        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ScriptHarness internal failure in the {Stage} stage")]
    private static partial void LogStageFailure(ILogger logger, string stage, Exception exception);
}
