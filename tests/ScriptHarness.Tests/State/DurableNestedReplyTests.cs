using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.State;

/// <summary>
/// A nested reply (a tool handler runs a reply on the harness: a sub-agent) with durable approvals: its calls that need
/// approval are refused with <c>approval_unavailable</c>, since it cannot suspend; the outer block still suspends and
/// resumes as usual, its call to the sub-agent answered from the log.
/// </summary>
public sealed class DurableNestedReplyTests
{
    private HarnessPipeline? _harness;
    private int _subRuns;
    private int _sends;

    private ToolRegistry Registry() => new([
        new ToolDefinition("sub.run", "runs {script} as a nested reply", new JsonObject { ["type"] = "object" }, async (args, _, ct) =>
        {
            Interlocked.Increment(ref _subRuns);
            var outcome = Assert.Single(await StateStores.RunAsync(_harness!, StateStores.Blocks((string)args!["script"]!), null));
            return outcome.Status == ScriptStatus.Ok ? outcome.Value?.DeepClone() : new JsonObject { ["status"] = outcome.Status.ToString(), ["code"] = outcome.Error?.WireCode };
        }),
        new ToolDefinition("mail.send", "sends", new JsonObject { ["type"] = "object" }, (_, _, _) =>
            ValueTask.FromResult<JsonNode?>(JsonValue.Create(Interlocked.Increment(ref _sends)))) { RequiresApproval = true },
    ]);

    private HarnessPipeline Harness() => _harness = new(new ScriptHarnessOptions { DurableApprovals = true }, StateStores.Engine, Registry(),
        stateStore: StateStores.Store(StateStores.Memory));

    [Fact]
    public async Task ANestedCallNeedingApproval_IsRefusedWithApprovalUnavailable_AndNothingIsLeftSuspended()
    {
        using var harness = Harness();

        var outcome = Assert.Single(await StateStores.RunAsync(harness, StateStores.Blocks("""
            return await tools.sub.run({ script: "try { await tools.mail.send({ to: 'x' }); return 'sent'; } catch (e) { return e.code + ': ' + e.message; }" });
            """), StateStores.In("conv-nested")));

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.StartsWith("approval_unavailable: the call to mail.send needs approval", (string?)outcome.Value, StringComparison.Ordinal);
        Assert.Null(outcome.Suspension);
        Assert.Equal(0, _sends);
    }

    [Fact]
    public async Task TheOuterBlock_StillSuspendsAndResumes_ItsNestedReplyAnsweredFromTheLog()
    {
        using var harness = Harness();
        var suspended = Assert.Single(await StateStores.RunAsync(harness, StateStores.Blocks("""
            const inner = await tools.sub.run({ script: "return 20 + 1;" });
            return inner + await tools.mail.send({ to: 'y' });
            """), StateStores.In("conv-nested")));
        Assert.Equal(ScriptStatus.Suspended, suspended.Status);
        Assert.Equal(1, _subRuns);

        var resumed = await harness.ResumeAsync(suspended.Suspension!.Token, ApprovalDecision.Approve);

        Assert.Equal(ScriptStatus.Ok, resumed.Status);
        Assert.Equal(22, (int)resumed.Value!);
        Assert.Equal((1, 1), (_subRuns, _sends)); // the sub-agent's result came from the log
    }

    [Fact]
    public void ApprovalUnavailable_IsAStableCode_NotRetryable()
    {
        Assert.Equal("approval_unavailable", ScriptErrorCode.ApprovalUnavailable.ToCode());
        Assert.True(ScriptErrorCodes.TryParse("approval_unavailable", out var code) && code == ScriptErrorCode.ApprovalUnavailable);
        Assert.False(ScriptErrorCode.ApprovalUnavailable.IsRetryable());
    }
}
