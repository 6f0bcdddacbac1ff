using System.Text.Json.Nodes;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using static ScriptHarness.Tests.State.StateStores;

namespace ScriptHarness.Tests.State;

public sealed class StateLoadTests
{
    private const int Conversations = 1000;
    private const int BlocksPerReply = 5;

    // 1,000 conversations × 5 blocks, each block reading the counter and writing it back, 16 replies at a time through
    // one Redis: every conversation must end at exactly 5, each block seeing the one before it (no lost or reordered state).
    [SkippableFact]
    public async Task ThousandConversations_FiveBlocksEach_ThroughRedis_LoseNoState()
    {
        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        var store = Store(Redis);
        using var harness = Harness(store, new ScriptHarnessOptions { MaxParallelScripts = 4 });
        var block = "const n = (await load('n')) ?? 0;\nawait store('n', n + 1);\nreturn n + 1;";
        var reply = Blocks([.. Enumerable.Repeat(block, BlocksPerReply)]);
        var wrong = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Conversations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var outcomes = await RunAsync(harness, reply, In($"load-{i}"));
            var values = outcomes.Select(o => o.Status == ScriptStatus.Ok ? o.Value!.GetValue<int>() : -1);
            if (!values.SequenceEqual(Enumerable.Range(1, BlocksPerReply)))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
        for (var i = 0; i < Conversations; i += 97)
        {
            var document = JsonNode.Parse((await store.LoadAsync($"load-{i}", CancellationToken.None))!)!;
            Assert.Equal(BlocksPerReply, document["n"]!.GetValue<int>());
        }
    }

    // The same load with durable approvals: each block stores its count, then suspends at a call needing approval; a
    // second harness instance on the same Redis (the host restarted) resumes all 5,000 blocks. Every resume must return
    // its block's count and the guarded call's result, with the store written once per block (the replayed store is
    // answered from the log, not run again).
    [SkippableFact]
    public async Task ThousandConversations_FiveBlocksEach_SuspendedAndResumedInAnotherInstance_ThroughRedis_LoseNoState()
    {
        Skip.If(TestRedis.Address is null, TestRedis.SkipReason);
        var cache = Cache(Redis);
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var durable = new ScriptHarnessOptions { MaxParallelScripts = 4, DurableApprovals = true };
        var block = "const n = (await load('n')) ?? 0;\nawait store('n', n + 1);\nconst g = await tools.t.guarded({ n });\nreturn [n + 1, g.done];";
        var reply = Blocks([.. Enumerable.Repeat(block, BlocksPerReply)]);
        var tokens = new string?[Conversations, BlocksPerReply];
        using (var first = Harness(Store(cache, prefix), durable))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Conversations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var outcomes = await RunAsync(first, reply, In($"durable-{i}"));
                for (var b = 0; b < outcomes.Count; b++)
                {
                    tokens[i, b] = outcomes[b].Suspension?.Token;
                }
            });
        }

        var wrong = 0;
        using (var second = Harness(Store(cache, prefix), durable))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Conversations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                for (var b = 0; b < BlocksPerReply; b++)
                {
                    var outcome = tokens[i, b] is { } token ? await second.ResumeAsync(token, ScriptHarness.Approvals.ApprovalDecision.Approve) : null;
                    if (outcome is not { Status: ScriptStatus.Ok } || outcome.Value!.ToJsonString() != $"[{b + 1},true]")
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            });
        }

        Assert.Equal(0, wrong);
        var store = Store(cache, prefix);
        for (var i = 0; i < Conversations; i += 97)
        {
            var document = JsonNode.Parse((await store.LoadAsync($"durable-{i}", CancellationToken.None))!)!;
            Assert.Equal(BlocksPerReply, document["n"]!.GetValue<int>());
        }
    }
}
