using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Approvals;

/// <summary>Runs a script on Jint against an approver, and plays the host that answers the broker's requests.</summary>
internal static class ApprovalScripts
{
    public static JintEngineFactory Engine { get; } = new();

    public static async Task<(ScriptOutcome Outcome, ScriptToolBridge Bridge)> RunAsync(
        string source,
        IApprovalService approvals,
        ScriptLimits? limits = null,
        ApprovalPolicy? policy = null,
        ToolRegistry? registry = null,
        IScriptEngineFactory? engine = null,
        CancellationToken cancellationToken = default)
    {
        var prepared = ScriptRunHelper.Prepare(source, limits);
        var services = ScriptRunHelper.Services(approvals) with { Policy = policy };
        var bridge = new ScriptToolBridge(registry ?? TestTools.Registry(), prepared.Context, services);
        await using var sandbox = await (engine ?? Engine).CreateAsync(cancellationToken);
        var result = await sandbox.RunAsync(prepared, bridge, cancellationToken);
        return (OutcomeComposer.Compose(0, prepared.Script.Sha256, result, bridge), bridge);
    }

    /// <summary>Reads <paramref name="count"/> requests off the channel and answers each; gives up after a minute so a broken test fails instead of hanging (a cold start of the engine alone can take seconds here).</summary>
    public static async Task<IReadOnlyList<PendingApproval>> AnswerAsync(
        ApprovalBroker broker, int count, Action<PendingApproval> answer, TimeSpan? delay = null)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var seen = new List<PendingApproval>();
        while (seen.Count < count)
        {
            var pending = await broker.Requests.ReadAsync(patience.Token);
            if (delay is { } d)
            {
                await Task.Delay(d, patience.Token);
            }

            answer(pending);
            seen.Add(pending);
        }

        return seen;
    }
}
