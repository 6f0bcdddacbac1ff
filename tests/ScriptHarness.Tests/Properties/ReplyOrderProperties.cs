using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Properties;

/// <summary>A reply of blocks whose tool calls take random times, run with a random parallelism.</summary>
public sealed record DelayedReply(int Parallelism, int[][] Delays)
{
    public override string ToString() =>
        $"parallel {Parallelism}: [{string.Join(" | ", Delays.Select(d => string.Join(",", d)))}]";

    public string Text()
    {
        var reply = new StringBuilder();
        for (var i = 0; i < Delays.Length; i++)
        {
            reply.Append(CultureInfo.InvariantCulture, $"text {i}\n<tool-calls>");
            foreach (var ms in Delays[i])
            {
                reply.Append(CultureInfo.InvariantCulture, $"await tools.t.delay({{ ms: {ms} }}); ");
            }

            reply.Append(CultureInfo.InvariantCulture, $"return {i};</tool-calls>\n");
        }

        return reply.ToString();
    }

    public static Arbitrary<DelayedReply> Arbitrary() => Gen.Zip(
            Gen.Choose(1, 8),
            Gen.Choose(1, 8).SelectMany(n => Gen.Choose(0, 3).SelectMany(k => Gen.Frequency((3, Gen.Choose(0, 3)), (1, Gen.Choose(5, 40))).ArrayOf(k)).ArrayOf(n)))
        .Select(p => new DelayedReply(p.Item1, p.Item2))
        .ToArbitrary();
}

/// <summary>Results keep reply order whatever the tools' delays and the parallelism, on every engine.</summary>
[Properties(Arbitrary = new[] { typeof(DelayedReply) }, MaxTest = 25)]
public sealed class ReplyOrderProperties
{
    private static readonly IScriptEngineFactory[] Engines = [new JintEngineFactory(), new V8EngineFactory()];

    [Property]
    public void Results_KeepReplyOrder_UnderRandomToolDelaysAndParallelism(DelayedReply reply)
    {
        foreach (var engine in Engines)
        {
            using var pipeline = new HarnessPipeline(
                new ScriptHarnessOptions { Engine = engine.Name, MaxParallelScripts = reply.Parallelism },
                engine, TestTools.Registry(), FixedApprovalService.ApproveAll);
            var items = Collect(pipeline.RunAsync(reply.Text())).GetAwaiter().GetResult();

            Assert.Equal(Enumerable.Range(0, items.Count), items.Select(i => i.Index));
            var expected = new List<string>();
            for (var i = 0; i < reply.Delays.Length; i++)
            {
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"text:{(i == 0 ? "" : "\n")}text {i}\n"));
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"value:{i}"));
            }

            expected.Add("text:\n");
            Assert.Equal(expected, items.Select(Describe));
        }
    }

    private static string Describe(ResponseItem item) => item switch
    {
        TextItem text => "text:" + text.Text,
        ScriptResultItem { Outcome.Status: ScriptStatus.Ok } ok => "value:" + ok.Outcome.Value?.ToJsonString(),
        ScriptResultItem failed => "error:" + failed.Outcome.Error?.Code,
        _ => item.GetType().Name,
    };

    private static async Task<List<ResponseItem>> Collect(IAsyncEnumerable<ResponseItem> items)
    {
        var list = new List<ResponseItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
