using ScriptHarness.AI.Chat;

namespace ScriptHarness.AI.Tests.Chat;

/// <summary>The durable request id a client reads back from the conversation: its exact form only.</summary>
public sealed class DurableRequestsTests
{
    private const string Run = "sh-0123abcd-42";

    [Fact]
    public void TryParse_TheIdItWrites_GivesItsParts()
    {
        var written = new DurableRequests.Id(Run, 7, "00ff").ToString();

        Assert.True(DurableRequests.TryParse(written, out var id));
        Assert.Equal(new DurableRequests.Id(Run, 7, "00ff"), id);
        Assert.Equal(Run + "/s7/resume/00ff", written);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Run + "/s7/resume/00ff\n")] // a regex `$` accepts a final line break; the id is taken whole or not at all
    [InlineData(Run + "/s7/resume/00ff/")]
    [InlineData(" " + Run + "/s7/resume/00ff")]
    [InlineData(Run + "/s7/resume/00FF")]
    [InlineData(Run + "/s7/resume/")]
    [InlineData(Run + "/s1234567/resume/00ff")]
    [InlineData("sh-0123abc-42/s7/resume/00ff")]
    [InlineData(Run + "/s7/resume/" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public void TryParse_AnythingElse_IsNotARequest(string? requestId)
    {
        Assert.False(DurableRequests.TryParse(requestId, out var id));
        Assert.Equal(default, id);
    }
}
