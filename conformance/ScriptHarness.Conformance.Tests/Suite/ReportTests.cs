using System.Text.Json.Nodes;
using ScriptHarness.Conformance.Catalogue;
using ScriptHarness.Conformance.Reporting;
using ScriptHarness.Conformance.Running;

namespace ScriptHarness.Conformance.Tests.Suite;

public sealed class ReportTests
{
    private static ConformanceReport CreateSut()
    {
        var scenarios = ConformanceCatalogue.Matching("APPR-00").Take(3).ToList();
        ConformanceResult[] results =
        [
            new(scenarios[0].Id, "jint", ConformanceStatus.Pass, null, 12.3),
            new(scenarios[1].Id, "jint", ConformanceStatus.Fail, "expected ok | got error", 45),
            new(scenarios[2].Id, "jint", ConformanceStatus.Skip, "the engine has no X", 0),
            .. scenarios.Select(s => ConformanceResult.Skipped(s, "yantra", "not available: reason")),
        ];
        return new ConformanceReport(["jint", "yantra"], scenarios, results);
    }

    [Fact]
    public void ToJson_HasExactlyTheAgreedShape()
    {
        var json = JsonNode.Parse(CreateSut().ToJson())!.AsObject();
        Assert.Equal(["engines", "results"], json.Select(p => p.Key));
        Assert.Equal(["jint", "yantra"], json["engines"]!.AsArray().Select(e => e!.GetValue<string>()));
        var results = json["results"]!.AsArray();
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.Equal(["scenario", "engine", "status", "reason", "ms"], r!.AsObject().Select(p => p.Key)));
        Assert.Equal(["pass", "fail", "skip", "skip", "skip", "skip"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Null(results[0]!["reason"]);
        Assert.Equal(12.3, results[0]!["ms"]!.GetValue<double>());
    }

    [Fact]
    public void ToMarkdown_HasASummaryLinePerEngineTheMatrixAndTheReasons()
    {
        var sut = CreateSut();
        var markdown = sut.ToMarkdown();
        Assert.Contains("- jint: 1 passed, 1 failed, 1 skipped of 3", markdown, StringComparison.Ordinal);
        Assert.Contains("- yantra: 0 passed, 0 failed, 3 skipped of 3 in 0.0 s (not available: reason)", markdown, StringComparison.Ordinal);
        Assert.Contains("| scenario | title | jint | yantra |", markdown, StringComparison.Ordinal);
        Assert.Contains("**FAIL** 45 ms", markdown, StringComparison.Ordinal);
        Assert.Contains("expected ok \\| got error", markdown, StringComparison.Ordinal);
        Assert.Contains("**yantra** all 3 scenarios: not available: reason", markdown, StringComparison.Ordinal);
        Assert.False(sut.Succeeded);
    }

    [Fact]
    public async Task WriteAsync_WritesBothFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conformance-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = await CreateSut().WriteAsync(folder);
            Assert.Equal(["report.md", "report.json"], written.Select(Path.GetFileName));
            Assert.All(written, f => Assert.True(new FileInfo(f).Length > 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
