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
}
