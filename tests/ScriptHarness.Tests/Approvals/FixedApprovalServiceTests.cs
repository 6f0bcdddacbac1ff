using ScriptHarness.Approvals;

namespace ScriptHarness.Tests.Approvals;

public sealed class FixedApprovalServiceTests
{
    private static readonly ApprovalRequest Request = new("turn-1/s0#1", "files.write", null, "turn-1/s0");

    [Fact]
    public async Task ApproveAll_ApprovesWithoutAReason()
    {
        Assert.Equal(new ApprovalDecision(true), await FixedApprovalService.ApproveAll.RequestAsync(Request, CancellationToken.None));
    }

    [Fact]
    public async Task DenyAll_DeniesSayingNoApproverIsConfigured()
    {
        // The reason reaches the script as its call's error message: a person reading the outcome must learn why.
        var decision = await FixedApprovalService.DenyAll.RequestAsync(Request, CancellationToken.None);
        Assert.Equal(new ApprovalDecision(false, "no approver is configured for this run"), decision);
    }

    [Fact]
    public async Task DenyAllWith_DeniesEveryRequestWithTheReasonGiven()
    {
        var sut = FixedApprovalService.DenyAllWith("read-only session");
        Assert.Equal(new ApprovalDecision(false, "read-only session"), await sut.RequestAsync(Request, CancellationToken.None));
        Assert.Equal(new ApprovalDecision(false, "read-only session"), await sut.RequestAsync(Request with { Tool = "files.delete" }, CancellationToken.None));
    }
}
