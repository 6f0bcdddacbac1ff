using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Approvals;

/// <summary>
/// Time spent waiting for a person does not count against the script's timeout; the script's own work still does.
/// Real time on purpose: the engine's deadline runs on the real clock.
/// </summary>
public sealed class ApprovalWaitTimeTests
{
    private const string ApproveThenReturn = "const r = await tools.t.guarded({}); return r.done;";
    private static readonly ScriptLimits Tight = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300) };
    private static readonly TimeSpan PersonThinks = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Run_ApprovalGrantedAfterTheScriptTimeout_CompletesOk()
    {
        await WarmUpAsync(ApprovalScripts.Engine);
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve(), delay: PersonThinks);

        var (outcome, bridge) = await ApprovalScripts.RunAsync(ApproveThenReturn, broker, Tight);

        await host;
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.True(outcome.Value!.GetValue<bool>());
        Assert.InRange(bridge.PausedTime, PersonThinks - TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Run_CpuLoopAfterApproval_StillTimesOut()
    {
        await WarmUpAsync(ApprovalScripts.Engine);
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve(), delay: PersonThinks);

        var (outcome, _) = await ApprovalScripts.RunAsync("await tools.t.guarded({}); while (true) {}", broker, Tight);

        await host;
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error!.Code);
        Assert.Equal(1, broker.Statistics.Approved);
    }

    [Fact]
    public async Task Run_ApprovalLongerThanTheWatchdogSlack_HostWatchdogWaitsToo()
    {
        // The host-side watchdog (timeout + slack) must also stop its clock while a person decides.
        var engine = new JintEngineFactory(new JintEngineOptions { WatchdogSlack = TimeSpan.FromMilliseconds(100) });
        await WarmUpAsync(engine);
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve(), delay: PersonThinks);

        var (outcome, _) = await ApprovalScripts.RunAsync(ApproveThenReturn, broker, Tight, engine: engine);

        await host;
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.Message);
    }

    /// <summary>The first run in a process compiles the engine and the tool path; the 300 ms should measure the script.</summary>
    private static async Task WarmUpAsync(IScriptEngineFactory engine)
    {
        var (outcome, _) = await ApprovalScripts.RunAsync(ApproveThenReturn, FixedApprovalService.ApproveAll, engine: engine);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
    }
}
