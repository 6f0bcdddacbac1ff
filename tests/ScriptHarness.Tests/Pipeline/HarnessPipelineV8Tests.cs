using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>A reply run through the whole pipeline on the V8 engine (the CLI's <c>--engine v8</c>).</summary>
public sealed class HarnessPipelineV8Tests
{
    private static readonly V8EngineFactory Engine = new();

    private static HarnessPipeline CreateSut(ScriptHarnessOptions? options = null) =>
        new(options ?? new ScriptHarnessOptions { Engine = "v8" }, Engine, TestTools.Registry(), ScriptHarness.Approvals.FixedApprovalService.ApproveAll);

    private static async Task<List<ResponseItem>> Collect(IAsyncEnumerable<ResponseItem> items)
    {
        var list = new List<ResponseItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static ScriptOutcome Result(ResponseItem item) => Assert.IsType<ScriptResultItem>(item).Outcome;

    [Fact]
    public async Task Run_ReplyOnV8_ItemsInReplyOrderWithValuesErrorsAndLogs()
    {
        using var sut = CreateSut();
        var reply = "Checking.\n"
            + "<tool-calls>console.log('hi'); const [a, b] = await Promise.all([tools.t.echo({n: 1}), tools.t.delay({ms: 20})]); return a.n + b.ms;</tool-calls>\n"
            + "<tool-calls>const a = 1;\nfunction inner() { null.x; }\ninner();</tool-calls>"
            + "<tool-calls>eval('1')</tool-calls>"
            + "<tool-calls>await tools.t.fail({});</tool-calls>";
        var items = await Collect(sut.RunAsync(reply));
        Assert.Equal([0, 1, 2, 3, 4, 5], items.Select(i => i.Index));
        Assert.Equal("Checking.\n", Assert.IsType<TextItem>(items[0]).Text);

        var ok = Result(items[1]);
        Assert.Equal(21, ok.Value!.GetValue<int>());
        Assert.Equal(2, ok.ToolCalls);
        Assert.Equal("hi", Assert.Single(ok.Logs).Message);

        var thrown = Result(items[3]).Error!;
        Assert.Equal(ScriptErrorCode.RuntimeError, thrown.Code);
        Assert.StartsWith("TypeError:", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(2, thrown.Line);
        Assert.Contains("at inner (2:", thrown.Stack, StringComparison.Ordinal);

        Assert.Equal(ScriptErrorCode.BannedIdentifier, Result(items[4]).Error!.Code);
        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, Result(items[5]).Error!.Code);
    }

    [Fact]
    public async Task Run_ParallelScriptsOnV8_EachOnItsOwnContext()
    {
        using var sut = CreateSut(new ScriptHarnessOptions { Engine = "v8", MaxParallelScripts = 4 });
        var block = "<tool-calls>const seen = typeof globalThis.mark; globalThis.mark = 1; await tools.t.delay({ms: 50}); return seen;</tool-calls>";
        var items = await Collect(sut.RunAsync(block + block + block + block));
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal("undefined", Result(i).Value!.GetValue<string>()));
    }

    // Regression: the V8 engine also reported detached calls itself, so the pipeline listed them twice.
    [Fact]
    public async Task Run_UnawaitedCallOnV8_ReportedOnceAsDetached()
    {
        using var sut = CreateSut(new ScriptHarnessOptions
        {
            Engine = "v8",
            Limits = new ScriptLimits { GracePeriod = TimeSpan.FromMilliseconds(50) },
        });
        var outcome = Result(Assert.Single(await Collect(sut.RunAsync("<tool-calls>tools.t.delay({ms: 10000}); return 'kept';</tool-calls>"))));
        Assert.Equal("kept", outcome.Value!.GetValue<string>());
        var warning = Assert.Single(outcome.Warnings);
        Assert.Equal(ScriptErrorCode.DetachedPromise, warning.Code);
        Assert.Contains("s0#1", warning.Message, StringComparison.Ordinal);
    }
}
