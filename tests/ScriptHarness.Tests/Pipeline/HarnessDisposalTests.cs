using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>
/// Disposing a harness with runs in flight: before, they went on (a script looping to its 30 s limit, and every block
/// after it) for a harness that was gone, on tool threads it had released.
/// </summary>
public sealed class HarnessDisposalTests
{
    private static readonly JintEngineFactory Engine = new();

    private static HarnessPipeline CreateSut() =>
        new(new ScriptHarnessOptions { MaxParallelScripts = 1 }, Engine, TestTools.Registry(), FixedApprovalService.ApproveAll);

    [Theory]
    [InlineData("await tools.t.delay({ ms: 30000 }); return 1;")]
    [InlineData("while (true) {}")]
    public async Task Dispose_EndsTheRunsInFlight_AsCancelled_AndStartsNoMoreBlocks(string script)
    {
        var sut = CreateSut();
        var items = new List<ResponseItem>();
        var disposedAt = TimeSpan.Zero;
        var time = TimeProvider.System.GetTimestamp();
        await foreach (var e in sut.RunEventsAsync($"a<tool-calls>{script}</tool-calls><tool-calls>return 2;</tool-calls><tool-calls>return 3;</tool-calls>"))
        {
            if (e is ScriptStartedEvent { Index: 1 })
            {
                await Task.Delay(200);
                sut.Dispose();
                disposedAt = TimeProvider.System.GetElapsedTime(time);
            }
            else if (e is ResponseItemEvent { Item: var item })
            {
                items.Add(item);
            }
        }

        Assert.InRange(TimeProvider.System.GetElapsedTime(time) - disposedAt, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal([0, 1, 2, 3], items.Select(i => i.Index));
        var outcomes = items.OfType<ScriptResultItem>().Select(r => r.Outcome).ToList();
        Assert.All(outcomes, o => Assert.Equal((ScriptStatus.Error, ScriptErrorCode.Cancelled), (o.Status, o.Error!.Code)));
    }

    [Fact]
    public async Task ARunBrokenOffOrNeverRead_IsNotKeptAlive_ByTheHarnessItRanOn()
    {
        // The harness's disposal reaches runs through its token: a registration no run took back would keep each of
        // them, and everything it holds, for the harness's whole life.
        using var sut = CreateSut();
        var (brokenOff, neverRead) = await StartRunsAsync(sut);

        for (var i = 0; i < 10 && (brokenOff.IsAlive || neverRead.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.False(brokenOff.IsAlive, "the run broken off is still held");
        Assert.False(neverRead.IsAlive, "the run never read is still held");
    }

    // Apart, so that no local of this frame holds what the runs held.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference BrokenOff, WeakReference NeverRead)> StartRunsAsync(HarnessPipeline sut)
    {
        var first = FixedApprovalService.DenyAllWith("first");
        await foreach (var _ in sut.RunAsync("a<tool-calls>return 1;</tool-calls>", new RunOptions { Approvals = first }))
        {
            break;
        }

        var second = FixedApprovalService.DenyAllWith("second");
        _ = sut.RunAsync("<tool-calls>return 1;</tool-calls>", new RunOptions { Approvals = second });
        return (new WeakReference(first), new WeakReference(second));
    }

    [Fact]
    public async Task AfterDispose_RunsAndResumesAreRefused_AndDisposeAgainIsNothing()
    {
        var sut = CreateSut();
        sut.Dispose();
        sut.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sut.RunAsync("<tool-calls>return 1;</tool-calls>"));
        Assert.Throws<ObjectDisposedException>(() => sut.RunAsync("x"u8.ToArray().AsMemory()));
        Assert.Throws<ObjectDisposedException>(() => sut.RunEventsAsync("x"));
        Assert.Throws<ObjectDisposedException>(() => sut.RunStreamingAsync(AsyncEnumerable.Empty<string>()));
        Assert.Throws<ObjectDisposedException>(() => sut.RunStreamingEventsAsync(AsyncEnumerable.Empty<string>()));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.ResumeAsync(new string('a', 32), ApprovalDecision.Approve));
        Assert.Throws<ObjectDisposedException>(() => sut.ResumeEventsAsync(new string('a', 32), ApprovalDecision.Approve));
    }
}
