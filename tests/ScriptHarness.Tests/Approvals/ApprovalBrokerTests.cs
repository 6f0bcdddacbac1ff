using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Approvals;

namespace ScriptHarness.Tests.Approvals;

public sealed class ApprovalBrokerTests
{
    private readonly FakeTimeProvider _time = new();

    private ApprovalBroker CreateSut(TimeSpan? timeout = null) => new(timeout, _time);

    private static ApprovalRequest Request(string id = "turn-1/s0#1", string tool = "files.write", JsonNode? args = null) =>
        new(id, tool, args, "turn-1/s0");

    [Fact]
    public async Task Request_Approved_ReturnsApprovalAndLeavesNothingPending()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();
        var pending = Assert.Single(sut.Pending);

        Assert.True(pending.Approve());

        Assert.True((await call).Approved);
        Assert.Equal(ApprovalStatus.Approved, pending.Status);
        Assert.Empty(sut.Pending);
    }

    [Fact]
    public async Task Request_DeniedWithReason_ReturnsDenialWithTheReason()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();

        Assert.True(Assert.Single(sut.Pending).Deny("not on a Friday"));

        var decision = await call;
        Assert.False(decision.Approved);
        Assert.Equal("not on a Friday", decision.Reason);
    }

    [Fact]
    public async Task Request_ShowsTheRequestAsGiven()
    {
        using var sut = CreateSut();
        var args = new JsonObject { ["path"] = "a.txt" };
        var requestedAt = _time.GetUtcNow();
        var call = sut.RequestAsync(Request("turn-1/s0#3", "files.write", args), CancellationToken.None).AsTask();

        var pending = Assert.Single(sut.Pending);
        Assert.StartsWith("turn-1/s0#3", pending.RequestId, StringComparison.Ordinal);
        Assert.Equal("files.write", pending.Tool);
        Assert.Equal("turn-1/s0", pending.ScriptId);
        Assert.Equal("""{"path":"a.txt"}""", pending.Arguments!.ToJsonString());
        Assert.Equal(requestedAt, pending.RequestedAt);
        Assert.Equal(ApprovalStatus.Pending, pending.Status);
        pending.Approve();
        await call;
    }

    [Fact]
    public async Task Request_NoAnswerWithinTimeout_ReturnsApprovalTimeout()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(tool: "files.write"), CancellationToken.None).AsTask();
        var pending = Assert.Single(sut.Pending);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(ApprovalStatus.Pending, pending.Status);
        _time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ToolException>(() => call);
        Assert.Equal(ScriptErrorCode.ApprovalTimeout, ex.Error.Code);
        Assert.Equal("approval_timeout", ex.Code);
        Assert.True(ex.Retryable);
        Assert.Contains("files.write waited 60 s for approval", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.TimedOut, pending.Status);
        Assert.Empty(sut.Pending);
        Assert.False(pending.Approve());
    }

    [Fact]
    public async Task Request_CustomTimeout_IsTheOneApplied()
    {
        using var sut = CreateSut(TimeSpan.FromMilliseconds(1500));
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(1500));

        var ex = await Assert.ThrowsAsync<ToolException>(() => call);
        Assert.Contains("waited 1.5 s for approval", ex.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), sut.ApprovalTimeout);
    }

    [Fact]
    public async Task Request_AnsweredInTime_LaterTimeoutChangesNothing()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(sut.Pending).Approve();
        Assert.True((await call).Approved);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, sut.Statistics.TimedOut);
        Assert.Equal(1, sut.Statistics.Approved);
    }

    [Fact]
    public async Task Cancel_OneRequest_DeniesItWithTheCancelledReasonAndLeavesOthersWaiting()
    {
        using var sut = CreateSut();
        var first = sut.RequestAsync(Request("a"), CancellationToken.None).AsTask();
        var second = sut.RequestAsync(Request("b"), CancellationToken.None).AsTask();
        var (a, b) = (sut.Pending.First(), sut.Pending.Last());

        Assert.True(sut.Cancel(a.RequestId));
        Assert.False(sut.Cancel(a.RequestId));

        var decision = await first;
        Assert.False(decision.Approved);
        Assert.Equal(ApprovalBroker.CancelledReason, decision.Reason);
        Assert.Equal(ApprovalStatus.Cancelled, a.Status);
        Assert.False(second.IsCompleted);
        Assert.Equal([b], sut.Pending);

        b.Approve();
        Assert.True((await second).Approved);
    }

    [Fact]
    public async Task CancelAll_CancelsOnlyWhatIsStillPendingAndCountsIt()
    {
        using var sut = CreateSut();
        var calls = Enumerable.Range(0, 3).Select(i => sut.RequestAsync(Request($"r{i}"), CancellationToken.None).AsTask()).ToArray();
        sut.Pending.First().Approve();

        Assert.Equal(2, sut.CancelAll());
        Assert.Equal(0, sut.CancelAll());

        var decisions = await Task.WhenAll(calls);
        Assert.True(decisions[0].Approved);
        Assert.All(decisions[1..], d => Assert.Equal(ApprovalDecision.Deny(ApprovalBroker.CancelledReason), d));
        Assert.Empty(sut.Pending);
        Assert.Equal(2, sut.Statistics.Cancelled);
    }

    [Fact]
    public async Task Request_CallerCancels_WithdrawsTheRequestAndThrowsOperationCanceled()
    {
        using var sut = CreateSut();
        using var cts = new CancellationTokenSource();
        var call = sut.RequestAsync(Request(), cts.Token).AsTask();
        var pending = Assert.Single(sut.Pending);

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal("the approval request for files.write was withdrawn", ex.Message);
        Assert.Empty(sut.Pending);
        Assert.Equal(ApprovalStatus.Cancelled, pending.Status);
        Assert.False(pending.Approve());
        Assert.Equal(1, sut.Statistics.Cancelled);
    }

    [Fact]
    public async Task Request_TokenAlreadyCancelled_ThrowsWithoutRequesting()
    {
        using var sut = CreateSut();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.RequestAsync(Request(), new CancellationToken(true)).AsTask());
        Assert.Empty(sut.Pending);
        Assert.Equal(0, sut.Statistics.Requested);
        Assert.False(sut.Requests.TryRead(out _));
    }

    [Fact]
    public async Task Approve_Twice_SecondReturnsFalseAndTheOutcomeStands()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();
        var pending = Assert.Single(sut.Pending);

        Assert.True(pending.Approve());
        Assert.False(pending.Approve());
        Assert.False(pending.Deny("too late"));
        Assert.False(pending.Cancel());
        Assert.False(sut.Resolve(pending.RequestId, ApprovalDecision.Deny("too late")));

        Assert.True((await call).Approved);
        Assert.Equal(ApprovalStatus.Approved, pending.Status);
        Assert.Equal(1, sut.Statistics.Approved);
        Assert.Equal(0, sut.Statistics.Denied);
    }

    [Fact]
    public async Task Resolve_ById_SettlesThatRequest()
    {
        using var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();

        Assert.False(sut.Resolve("no-such-request", ApprovalDecision.Approve));
        Assert.True(sut.Resolve(Assert.Single(sut.Pending).RequestId, ApprovalDecision.Deny("checked by hand")));

        Assert.Equal("checked by hand", (await call).Reason);

        var approved = sut.RequestAsync(Request(), CancellationToken.None).AsTask();
        Assert.True(sut.Resolve(Assert.Single(sut.Pending).RequestId, ApprovalDecision.Approve));
        Assert.True((await approved).Approved);
        Assert.Equal((1, 1), (sut.Statistics.Approved, sut.Statistics.Denied));
    }

    [Fact]
    public async Task NullArguments_Throw()
    {
        using var sut = CreateSut();

        await Assert.ThrowsAsync<ArgumentNullException>("request", () => sut.RequestAsync(null!, CancellationToken.None).AsTask());
        Assert.Throws<ArgumentNullException>("requestId", () => sut.Resolve(null!, ApprovalDecision.Approve));
        Assert.Throws<ArgumentNullException>("decision", () => sut.Resolve("x", null!));
        Assert.Throws<ArgumentNullException>("requestId", () => sut.Cancel(null!));
    }

    [Fact]
    public async Task Requests_SameCallIdTwice_GetDistinctRequestIds()
    {
        using var sut = CreateSut();
        var first = sut.RequestAsync(Request("turn-1/s0#1"), CancellationToken.None).AsTask();
        var stale = Assert.Single(sut.Pending).RequestId;
        sut.CancelAll();
        await first;
        var second = sut.RequestAsync(Request("turn-1/s0#1"), CancellationToken.None).AsTask();

        // An id kept from the first request must not settle the second.
        Assert.False(sut.Resolve(stale, ApprovalDecision.Approve));
        Assert.NotEqual(stale, Assert.Single(sut.Pending).RequestId);
        sut.CancelAll();
        await second;
    }

    [Fact]
    public async Task Requests_Channel_DeliversRequestsInOrder()
    {
        using var sut = CreateSut();
        var calls = Enumerable.Range(0, 20).Select(i => sut.RequestAsync(Request($"call-{i}"), CancellationToken.None).AsTask()).ToArray();

        var read = new List<PendingApproval>();
        while (read.Count < calls.Length)
        {
            read.Add(await sut.Requests.ReadAsync());
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"call-{i}~"), read.Select(p => p.RequestId[..(p.RequestId.IndexOf('~', StringComparison.Ordinal) + 1)]));
        Assert.Equal(read, sut.Pending);
        Assert.All(read, p => p.Approve());
        Assert.All(await Task.WhenAll(calls), d => Assert.True(d.Approved));
    }

    [Fact]
    public async Task Statistics_CountOutcomesAndMeasureWaitsWithTheTimeProvider()
    {
        using var sut = CreateSut();
        var approved = sut.RequestAsync(Request("a"), CancellationToken.None).AsTask();
        var denied = sut.RequestAsync(Request("b"), CancellationToken.None).AsTask();
        var timedOut = sut.RequestAsync(Request("c"), CancellationToken.None).AsTask();
        var (a, b) = (sut.Pending.ElementAt(0), sut.Pending.ElementAt(1));
        Assert.Equal(3, sut.Statistics.Pending);

        _time.Advance(TimeSpan.FromSeconds(5));
        a.Approve();
        _time.Advance(TimeSpan.FromSeconds(10));
        b.Deny();
        _time.Advance(TimeSpan.FromSeconds(45));
        var cancelled = sut.RequestAsync(Request("d"), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(2));
        sut.CancelAll();

        await approved;
        await denied;
        await Assert.ThrowsAsync<ToolException>(() => timedOut);
        await cancelled;
        Assert.Equal(new ApprovalStatistics(Requested: 4, Approved: 1, Denied: 1, TimedOut: 1, Cancelled: 1,
            TotalWait: TimeSpan.FromSeconds(5 + 15 + 60 + 2), MaxWait: TimeSpan.FromSeconds(60)), sut.Statistics);
        Assert.Equal(0, sut.Statistics.Pending);
    }

    [Fact]
    public async Task Dispose_CancelsPendingCompletesTheChannelAndRefusesNewRequests()
    {
        var sut = CreateSut();
        var call = sut.RequestAsync(Request(), CancellationToken.None).AsTask();

        sut.Dispose();
        sut.Dispose();

        Assert.Equal(ApprovalBroker.CancelledReason, (await call).Reason);
        Assert.Single(await sut.Requests.ReadAllAsync().ToListAsync());
        await sut.Requests.Completion;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.RequestAsync(Request(), CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-1000)]
    public void Create_TimeoutNotPositive_Throws(int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApprovalBroker(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Create_TimeoutLongerThanATimerAllows_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => new ApprovalBroker(TimeSpan.FromDays(50)));
        using var longest = new ApprovalBroker(TimeSpan.FromDays(49));
        Assert.Equal(TimeSpan.FromDays(49), longest.ApprovalTimeout);
    }

    [Fact]
    public void Create_DefaultTimeout_IsSixtySeconds()
    {
        using var sut = new ApprovalBroker();
        Assert.Equal(TimeSpan.FromSeconds(60), sut.ApprovalTimeout);
    }
}
