using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Pipeline;

public sealed class ScriptHarnessDefaultsTests
{
    [Fact]
    public async Task AHarnessWrittenBeforeDurableApprovals_AnswersAResumeWithATypedError_NeverAThrow()
    {
        // IScriptHarness gained ResumeAsync with a default body, so an implementation outside this library still
        // compiles; a token it never issued is unknown to it.
        IScriptHarness harness = new OlderHarness();

        var outcome = await harness.ResumeAsync("any-token", ApprovalDecision.Approve);

        Assert.Equal(ScriptStatus.Error, outcome.Status);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, outcome.Error!.Code);
        Assert.Equal("this harness keeps no suspended blocks", outcome.Error.Message);
        Assert.False(outcome.Error.Retryable);
    }

    private sealed class OlderHarness : IScriptHarness
    {
        public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
