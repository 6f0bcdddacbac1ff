using Microsoft.Extensions.Logging.Abstractions;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>Runs one script on an engine with the test tools, without the pipeline.</summary>
internal static class ScriptRunHelper
{
    public static ToolServices Services(IApprovalService? approvals = null) =>
        new(new ToolExecutionGate(16), new ToolArgumentValidator(), approvals ?? FixedApprovalService.ApproveAll, NullLogger.Instance, TimeProvider.System);

    public static PreparedScript Prepare(string source, ScriptLimits? limits = null, ToolMode mode = ToolMode.Enabled)
    {
        var context = ScriptContextFactory.Create(new RunIdentity("c1", "s1", "t1"), 0, mode, limits ?? ScriptLimits.Default);
        return new PreparedScript(new ParsedScript(source, "0000"), context);
    }

    public static async Task<(ScriptOutcome Outcome, ScriptToolBridge Bridge)> RunAsync(
        IScriptEngineFactory engine,
        string source,
        ScriptLimits? limits = null,
        ToolRegistry? registry = null,
        IApprovalService? approvals = null,
        ToolMode mode = ToolMode.Enabled,
        CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(source, limits, mode);
        var bridge = new ScriptToolBridge(registry ?? TestTools.Registry(), prepared.Context, Services(approvals));
        await using var sandbox = await engine.CreateAsync(cancellationToken);
        var result = await sandbox.RunAsync(prepared, bridge, cancellationToken);
        return (OutcomeComposer.Compose(0, prepared.Script.Sha256, result, bridge), bridge);
    }
}
