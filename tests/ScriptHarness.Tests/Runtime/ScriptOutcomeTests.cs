using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Runtime;

/// <summary>A script's outcome as the runtime builds it: its three plain forms and which calls count as partial results.</summary>
public sealed class ScriptOutcomeTests
{
    private static readonly ToolCallRecord[] Calls =
    [
        new("c1", "a.one", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(1)) { Result = JsonValue.Create(1) },
        new("c2", "a.two", ToolCallStatus.Failed, TimeSpan.FromMilliseconds(2)) { Error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "no") },
        new("c3", "a.three", ToolCallStatus.Detached, TimeSpan.FromMilliseconds(3)),
        new("c4", "a.four", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(4)) { Result = JsonValue.Create(4) },
        new("c5", "a.five", ToolCallStatus.DryRun, TimeSpan.FromMilliseconds(5)),
    ];

    [Fact]
    public void Ok_CarriesItsIndexAndValue_AndNothingElse()
    {
        var value = new JsonObject { ["a"] = 1 };

        var outcome = ScriptOutcome.Ok(3, value);

        Assert.Equal(3, outcome.Index);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Same(value, outcome.Value);
        Assert.Null(outcome.Error);
        Assert.Empty(outcome.Logs);
        Assert.Empty(outcome.Calls);
        Assert.Empty(outcome.Warnings);
        Assert.Null(outcome.Suspension);
        Assert.Null(outcome.Sha256);
    }

    [Fact]
    public void Failed_CarriesItsError_AndNoValue()
    {
        var error = new ScriptError(ScriptErrorCode.Timeout, "late");

        var outcome = ScriptOutcome.Failed(5, error);

        Assert.Equal(5, outcome.Index);
        Assert.Equal(ScriptStatus.Error, outcome.Status);
        Assert.Same(error, outcome.Error);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public void Skipped_IsOnlyItsIndexAndStatus()
    {
        var outcome = ScriptOutcome.Skipped(2);

        Assert.Equal(2, outcome.Index);
        Assert.Equal(ScriptStatus.Skipped, outcome.Status);
        Assert.Null(outcome.Value);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void PartialResults_OfAFailedScript_AreItsSucceededCalls_InTheirOrder()
    {
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.Timeout, "late")) with { Calls = Calls };

        Assert.Equal(["c1", "c4"], outcome.PartialResults.Select(c => c.CallId));
    }

    [Theory]
    [InlineData(ScriptStatus.Ok)]
    [InlineData(ScriptStatus.Skipped)]
    [InlineData(ScriptStatus.Suspended)]
    public void PartialResults_OfAnyOtherOutcome_AreNone(ScriptStatus status)
    {
        var outcome = ScriptOutcome.Ok(0, null) with { Status = status, Calls = Calls };

        Assert.Empty(outcome.PartialResults);
    }
}
