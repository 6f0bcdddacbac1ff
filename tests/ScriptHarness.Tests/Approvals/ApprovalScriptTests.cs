using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Approvals;

/// <summary>The broker behind a real script on Jint: what the script sees for each way a request ends.</summary>
public sealed class ApprovalScriptTests
{
    [Fact]
    public async Task Run_Approved_HandlerRunsAndScriptGetsTheResult()
    {
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve());

        var (outcome, _) = await ApprovalScripts.RunAsync("const r = await tools.t.guarded({ path: 'a.txt' }); return r;", broker);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("""{"done":true}""", outcome.Value!.ToJsonString());
        var request = Assert.Single(await host);
        Assert.Equal("t.guarded", request.Tool);
        Assert.Equal("t1/s0", request.ScriptId);
        Assert.Equal(1, broker.Statistics.Approved);
    }

    [Fact]
    public async Task Run_DeniedWithReason_ScriptCatchesApprovalDeniedAndContinues()
    {
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Deny("the file is read-only today"));

        var (outcome, bridge) = await ApprovalScripts.RunAsync("""
            let denied;
            try { await tools.t.guarded({}); denied = 'ran'; } catch (e) { denied = { code: e.code, message: e.message }; }
            const after = await tools.t.echo({ next: 1 });
            return { denied, after: after.next };
            """, broker);

        await host;
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("approval_denied", (string?)outcome.Value!["denied"]!["code"]);
        Assert.Contains("the file is read-only today", (string?)outcome.Value!["denied"]!["message"], StringComparison.Ordinal);
        Assert.Equal(1, (int)outcome.Value!["after"]!);
        Assert.Equal(2, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_NoAnswerWithinTimeout_ScriptSeesApprovalTimeout()
    {
        var time = new FakeTimeProvider();
        using var broker = new ApprovalBroker(timeProvider: time);
        var host = ApprovalScripts.AnswerAsync(broker, 1, _ => time.Advance(TimeSpan.FromSeconds(61)));

        var (outcome, _) = await ApprovalScripts.RunAsync(
            "try { await tools.t.guarded({}); return 'ran'; } catch (e) { return { code: e.code, message: e.message }; }", broker);

        await host;
        Assert.Equal("approval_timeout", (string?)outcome.Value!["code"]);
        Assert.Contains("waited 60 s for approval", (string?)outcome.Value!["message"], StringComparison.Ordinal);
        Assert.Equal(1, broker.Statistics.TimedOut);
    }

    [Fact]
    public async Task Run_OneOfTwoRequestsCancelled_ThatCallIsDeniedAsCancelledAndTheOtherRuns()
    {
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 2, p =>
        {
            if ((int)p.Arguments!["n"]! == 1)
            {
                Assert.True(broker.Cancel(p.RequestId));
            }
            else
            {
                p.Approve();
            }
        });

        var (outcome, _) = await ApprovalScripts.RunAsync("""
            const [one, two] = await Promise.allSettled([tools.t.guarded({ n: 1 }), tools.t.guarded({ n: 2 })]);
            return { one: one.status, code: one.reason.code, message: one.reason.message, two: two.value.done };
            """, broker);

        await host;
        Assert.Equal("rejected", (string?)outcome.Value!["one"]);
        Assert.Equal("approval_denied", (string?)outcome.Value!["code"]);
        Assert.Contains(ApprovalBroker.CancelledReason, (string?)outcome.Value!["message"], StringComparison.Ordinal);
        Assert.True((bool)outcome.Value!["two"]!);
    }

    [Fact]
    public async Task Run_HostCancelsTheRun_WithdrawsThePendingRequest()
    {
        using var broker = new ApprovalBroker();
        using var run = new CancellationTokenSource();
        var host = ApprovalScripts.AnswerAsync(broker, 1, _ => run.Cancel());

        var (outcome, _) = await ApprovalScripts.RunAsync("await tools.t.guarded({}); return 'ran';", broker, cancellationToken: run.Token);

        var request = Assert.Single(await host);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error!.Code);
        Assert.Empty(broker.Pending);
        Assert.Equal(ApprovalStatus.Cancelled, request.Status);
        Assert.False(request.Approve());
        Assert.Equal(1, broker.Statistics.Cancelled);
    }

    [Fact]
    public async Task Run_ScriptEndsWithoutAwaitingTheCall_WithdrawsThePendingRequestAfterTheGracePeriod()
    {
        using var broker = new ApprovalBroker();

        var (outcome, bridge) = await ApprovalScripts.RunAsync("tools.t.guarded({}); return 1;", broker);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Single(bridge.Seal());
        Assert.Empty(broker.Pending);
        Assert.Equal(ApprovalStatus.Cancelled, (await broker.Requests.ReadAsync()).Status);
        var statistics = broker.Statistics;
        Assert.Equal((1, 1, 0), (statistics.Requested, statistics.Cancelled, statistics.Pending));
    }

    [Fact]
    public async Task Run_ApprovalRequest_ShowsSanitizedArgumentsWhileTheHandlerGetsTheRealOnes()
    {
        JsonNode? received = null;
        var tool = new ToolDefinition("db.connect", "", new JsonObject { ["type"] = "object" }, (args, _, _) =>
        {
            received = args?.DeepClone();
            return ValueTask.FromResult<JsonNode?>(true);
        }) { RequiresApproval = true };
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve());

        var (outcome, _) = await ApprovalScripts.RunAsync(
            "return await tools.db.connect({ servers: [{ host: 'db1', db_password: 'hunter2' }], apiKey: 'sk-1', note: 'x'.repeat(300) });",
            broker, registry: new ToolRegistry([tool]));

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var shown = Assert.Single(await host).Arguments!;
        Assert.Equal("[redacted]", (string?)shown["servers"]![0]!["db_password"]);
        Assert.Equal("db1", (string?)shown["servers"]![0]!["host"]);
        Assert.Equal("[redacted]", (string?)shown["apiKey"]);
        Assert.EndsWith("…(100 more characters)", (string?)shown["note"], StringComparison.Ordinal);
        Assert.Equal("hunter2", (string?)received!["servers"]![0]!["db_password"]);
        Assert.Equal("sk-1", (string?)received["apiKey"]);
        Assert.Equal(300, ((string?)received["note"])!.Length);
    }

    [Fact]
    public async Task Run_PolicyRequiresApprovalForDangerousEcho_OnlyThatCallIsAsked()
    {
        using var broker = new ApprovalBroker();
        var host = ApprovalScripts.AnswerAsync(broker, 1, p => p.Approve());

        var (outcome, _) = await ApprovalScripts.RunAsync("""
            const safe = await tools.t.echo({ danger: false });
            const plain = await tools.t.echo({ x: 1 });
            const risky = await tools.t.echo({ danger: true, x: 2 });
            return [safe.danger, plain.x, risky.x];
            """, broker, policy: DangerousEcho);

        Assert.Equal("[false,1,2]", outcome.Value!.ToJsonString());
        var request = Assert.Single(await host);
        Assert.Equal("t.echo", request.Tool);
        Assert.Equal("""{"danger":true,"x":2}""", request.Arguments!.ToJsonString());
        Assert.Equal(1, broker.Statistics.Requested);
    }

    [Fact]
    public async Task Run_PolicyDeniedCall_IsDeniedLikeAnyOther()
    {
        var (outcome, _) = await ApprovalScripts.RunAsync(
            "try { await tools.t.echo({ danger: true }); return 'ran'; } catch (e) { return e.code; }",
            FixedApprovalService.DenyAll, policy: DangerousEcho);

        Assert.Equal("approval_denied", (string?)outcome.Value);
    }

    [Fact]
    public async Task Run_PolicyThrows_CallFailsWithoutReachingTheHandler()
    {
        var calls = 0;
        var tool = new ToolDefinition("x.run", "", new JsonObject { ["type"] = "object" }, (_, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult<JsonNode?>(null);
        });

        var (outcome, _) = await ApprovalScripts.RunAsync(
            "try { await tools.x.run({}); return 'ran'; } catch (e) { return { code: e.code, message: e.message }; }",
            FixedApprovalService.ApproveAll, policy: (_, _) => throw new InvalidOperationException("policy bug at /srv/host"),
            registry: new ToolRegistry([tool]));

        Assert.Equal("harness_internal", (string?)outcome.Value!["code"]);
        Assert.DoesNotContain("/srv/host", (string?)outcome.Value!["message"], StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    private static bool DangerousEcho(string tool, JsonNode? arguments) =>
        tool == "t.echo" && arguments is JsonObject o && o["danger"] is JsonValue v && v.TryGetValue<bool>(out var danger) && danger;
}
