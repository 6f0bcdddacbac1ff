using Microsoft.Extensions.Logging.Abstractions;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// Runs one script through our engine layer without the pipeline: factory → sandbox → <c>RunAsync</c>, with the real
/// tool facade (<see cref="ScriptToolBridge"/>) over the built-in <c>test</c> toolset, whose <c>test.echo</c> is the
/// echo tool of the workloads. What the pipeline's run stage does per script, minus events and the outcome's
/// bookkeeping.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    private static readonly RunIdentity Identity = new("bench-conversation", "bench-session", "bench-turn");

    private readonly IScriptEngineFactory _engine;
    private readonly ToolRegistry _tools;
    private readonly ToolExecutionGate _gate;
    private readonly ToolServices _services;
    private readonly ScriptContext _context;

    public EngineHarness(IScriptEngineFactory engine, ScriptLimits limits, ToolRegistry? tools = null)
    {
        _engine = engine;
        _tools = tools ?? new ToolRegistry(TestToolSet.Create().Tools);
        _gate = new ToolExecutionGate(new Pipeline.ScriptHarnessOptions().MaxConcurrentToolExecutions);
        _services = new ToolServices(_gate, new ToolArgumentValidator(), FixedApprovalService.DenyAll, NullLogger.Instance, TimeProvider.System);
        _context = ScriptContextFactory.Create(Identity, 0, ToolMode.Enabled, limits);
    }

    public ScriptLimits Limits => _context.Limits;

    /// <summary>Runs <paramref name="source"/> (a block: the body of an async function) in a new sandbox.</summary>
    public async ValueTask<ScriptOutcome> RunAsync(string source, CancellationToken cancellationToken = default)
    {
        var prepared = new PreparedScript(new ParsedScript(source, "bench"), _context);
        using var bridge = new ScriptToolBridge(_tools, _context, _services);
        EngineResult result;
        await using (var sandbox = await _engine.CreateAsync(cancellationToken))
        {
            result = await sandbox.RunAsync(prepared, bridge, cancellationToken);
        }

        return OutcomeComposer.Compose(0, prepared.Script.Sha256, result, bridge);
    }

    public void Dispose() => _gate.Dispose();
}
