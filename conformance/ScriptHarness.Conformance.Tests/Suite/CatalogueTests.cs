using System.Text.RegularExpressions;
using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Tests.Suite;

/// <summary>The rules every catalogue entry keeps, so that no scenario can pass by doing nothing.</summary>
public sealed partial class CatalogueTests
{
    // Codes the parser gives before a script runs: the only errors a scenario may expect without proving it ran.
    private static readonly ScriptErrorCode[] ParseStage =
        [ScriptErrorCode.BannedIdentifier, ScriptErrorCode.SyntaxError, ScriptErrorCode.ScriptTooLarge, ScriptErrorCode.InvalidUtf8];

    private static IReadOnlyList<ConformanceScenario> All => ConformanceCatalogue.All;

    [Fact]
    public void Catalogue_HoldsAtLeastEightyScenarios() => Assert.InRange(All.Count, 80, 1000);

    [Fact]
    public void Ids_AreUniqueAndCarryTheirFamilyPrefix()
    {
        Assert.Equal(All.Count, All.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(All, s => Assert.Matches(IdPattern(), s.Id));
        Assert.All(All, s => Assert.StartsWith(s.Family.Prefix() + "-", s.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFamily_HasScenarios() =>
        Assert.All(Enum.GetValues<ScenarioFamily>(), f => Assert.NotEmpty(ConformanceCatalogue.Of(f)));

    [Fact]
    public void Scenarios_HaveExactlyOneOfScriptOrReply() =>
        Assert.All(All, s => Assert.True(s.Script is null != s.Reply is null, s.Id));

    [Fact]
    public void ErrorScenarios_NameOneOrTwoCodes() =>
        Assert.All(All.Where(s => s.Expect.Status == ScriptStatus.Error), s => Assert.InRange(s.Expect.Codes.Count, 1, 2));

    [Fact]
    public void ErrorScenarios_ProveTheyRanUpToTheAttack() =>
        Assert.All(All.Where(s => s.Expect.Status == ScriptStatus.Error), s => Assert.True(
            s.Expect.Reached is not null || s.Expect.MinToolCalls > 0 || s.Expect.Codes.All(ParseStage.Contains) || RefusedByAReplyLimit(s),
            $"{s.Id} expects an error but proves neither a console marker nor a tool call before it"));

    // A block refused by a reply limit never runs, so it cannot prove it ran: such a scenario proves instead, in its
    // check, that the blocks before it did.
    private static bool RefusedByAReplyLimit(ConformanceScenario s) =>
        s.Expect.Codes is [ScriptErrorCode.ReplyLimitExceeded] && s.Reply is not null && s.Expect.Check is not null;

    [Fact]
    public void ScenariosThatLogAMarker_WriteItInTheirScript() =>
        Assert.All(All.Where(s => s.Expect.Reached is not null), s => Assert.Contains($"console.log('{s.Expect.Reached}')", s.Replies()[^1], StringComparison.Ordinal));

    [Fact]
    public void OkScenarios_CheckAValue() =>
        Assert.All(All.Where(s => s.Expect.Status == ScriptStatus.Ok), s => Assert.True(s.Expect.Value is not null || s.Expect.Check is not null, s.Id));

    [Fact]
    public void Tools_AreStandardConformanceTools() =>
        Assert.All(All, s => Assert.All(s.Tools, t => Assert.Contains(t, ConformanceToolSet.Names)));

    [Fact]
    public void TimeBounds_AreFiniteAndOutlastTheScriptLimit() =>
        Assert.All(All, s =>
        {
            Assert.InRange(s.Expect.Within, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
            var limits = s.Limits ?? ScriptLimits.Default;
            var firstToFire = limits.RegexTimeout < limits.Timeout ? limits.RegexTimeout : limits.Timeout;
            Assert.True(s.Expect.Within > firstToFire || !s.Expect.Codes.Contains(ScriptErrorCode.Timeout), s.Id);
        });

    [Fact]
    public void Matching_SelectsByCaseInsensitivePrefix()
    {
        Assert.Equal(ConformanceCatalogue.Of(ScenarioFamily.Promises), ConformanceCatalogue.Matching("prom-"));
        Assert.Equal("SEC-001", Assert.Single(ConformanceCatalogue.Matching("SEC-001")).Id);
        Assert.Throws<KeyNotFoundException>(() => ConformanceCatalogue.Get("NOPE-001"));
    }

    [GeneratedRegex("^(SEC|DOS|PROM|TOOL|APPR|ISO|LANG)-[0-9]{3}$")]
    private static partial Regex IdPattern();
}
