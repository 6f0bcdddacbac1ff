using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Resume;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Resume;

public sealed class ReplayLogTests
{
    private static readonly string ReadHash = ReplayLog.Hash(JsonNode.Parse("""{"id":1}"""));

    private static ResumeRecord Record(PendingCall pending, params LoggedCall[] calls) => new(
        "s", "h", new RunIdentity("c", "s", "t"), 0, ToolMode.Enabled, false, 42, 7, pending, calls);

    [Fact]
    public void Hash_IsTheSha256OfTheArgumentsJsonText_AndOfNullForNone()
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("""{"id":1}"""u8)), ReadHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("null"))), ReplayLog.Hash(null));
    }

    [Fact]
    public void First_HasTheClocksTimeAndAnOddSeed_AndNothingToReplay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

        var log = ReplayLog.First(time);

        Assert.Equal(1_700_000_000_000, log.Clock);
        Assert.Equal(1UL, log.Seed & 1);
        Assert.Null(log.Before(1, "crm.read", ReadHash));
        Assert.Null(log.DecisionFor(1));
    }

    [Fact]
    public void Calls_AreListedByPosition_WhateverOrderTheyCompletedIn()
    {
        var log = ReplayLog.First(TimeProvider.System);
        log.Completed(new LoggedCall(3, "c", "h3", null, null));
        log.Completed(new LoggedCall(1, "a", "h1", null, null));
        log.Completed(new LoggedCall(2, "b", "h2", null, null));
        log.Completed(new LoggedCall(2, "b", "again", null, null));

        Assert.Equal([(1, "h1"), (2, "h2"), (3, "h3")], log.Calls.Select(c => (c.Position, c.Hash)));
    }

    [Fact]
    public void Resumed_AnswersLoggedCallsFromTheLog_AndGivesTheDecisionAtThePendingCall()
    {
        var logged = new LoggedCall(1, "crm.read", ReadHash, JsonNode.Parse("""{"n":1}"""), null);
        var log = ReplayLog.Resumed(Record(new PendingCall(2, "t/s0#2", "mail.send", "hm", null), logged), ApprovalDecision.Deny("no"));

        Assert.Equal((42L, 7UL), (log.Clock, log.Seed));
        Assert.Same(logged, log.Before(1, "crm.read", ReadHash));
        Assert.Null(log.Before(2, "mail.send", "hm"));
        Assert.Equal(ApprovalDecision.Deny("no"), log.DecisionFor(2));
        Assert.Null(log.DecisionFor(1));
        Assert.Null(log.Before(3, "anything", "new"));
    }

    [Fact]
    public void ADifferentToolAtALoggedPosition_Diverges_NamingBothTools_AndEveryLaterCallFailsAlike()
    {
        var log = ReplayLog.Resumed(Record(new PendingCall(2, "id", "mail.send", "hm", null), new LoggedCall(1, "crm.read", ReadHash, null, null)), ApprovalDecision.Approve);

        var ex = Assert.Throws<ToolException>(() => log.Before(1, "crm.delete", ReadHash));
        const string message = "the resumed script called crm.delete where its first run called crm.read (call 1); the log cannot answer for it";

        Assert.Equal((ScriptErrorCode.ReplayDiverged, message), (ex.Error.Code, ex.Message));
        Assert.Equal((ScriptErrorCode.ReplayDiverged, message), (log.Diverged!.Code, log.Diverged.Message));
        var later = Assert.Throws<ToolException>(() => log.Before(2, "mail.send", "hm"));
        Assert.Equal(message, later.Message);
    }

    [Fact]
    public void OtherArgumentsAtThePendingPosition_Diverge_SayingSo()
    {
        var log = ReplayLog.Resumed(Record(new PendingCall(2, "id", "mail.send", "hm", null)), ApprovalDecision.Approve);

        var ex = Assert.Throws<ToolException>(() => log.Before(2, "mail.send", "other"));

        Assert.Equal(
            "the resumed script called mail.send with other arguments than its first run did (call 2); the log cannot answer for it",
            ex.Message);
        Assert.Equal(ScriptErrorCode.ReplayDiverged, log.Diverged!.Code);
    }

    [Fact]
    public void Suspend_OnlyTheFirstCallSuspends_AndNoCallRunsAfterIt()
    {
        var log = ReplayLog.First(TimeProvider.System);
        var first = new PendingCall(1, "id1", "mail.send", "h1", null);

        Assert.True(log.Suspend(first));
        Assert.False(log.Suspend(new PendingCall(2, "id2", "mail.send", "h2", null)));
        Assert.Same(first, log.Suspended);
        var ex = Assert.Throws<ToolException>(() => log.Before(2, "crm.read", ReadHash));
        Assert.Equal(
            (ScriptErrorCode.ApprovalDenied, "the call to crm.read was not made: this block is suspended until the call to mail.send is approved"),
            (ex.Error.Code, ex.Message));
    }
}
