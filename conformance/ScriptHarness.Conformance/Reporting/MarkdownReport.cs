using System.Globalization;
using System.Text;
using ScriptHarness.Conformance.Running;

namespace ScriptHarness.Conformance.Reporting;

/// <summary>The report for people: a summary line per engine, the engine × scenario matrix, then every failure and skip reason.</summary>
internal static class MarkdownReport
{
    public static string Write(ConformanceReport report)
    {
        var byKey = report.Results.ToDictionary(r => (r.Scenario, r.Engine));
        var text = new StringBuilder();
        text.AppendLine("# Conformance report").AppendLine();
        foreach (var engine in report.Engines)
        {
            text.Append("- ").AppendLine(Escape(report.Summary(engine)));
        }

        text.AppendLine().AppendLine("## Matrix").AppendLine();
        text.Append("| scenario | title |").AppendJoin(string.Empty, report.Engines.Select(e => $" {e} |")).AppendLine();
        text.Append("|---|---|").AppendJoin(string.Empty, report.Engines.Select(_ => "---|")).AppendLine();
        foreach (var scenario in report.Scenarios)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {scenario.Id} | {Escape(scenario.Title)} |");
            foreach (var engine in report.Engines)
            {
                text.Append(' ').Append(byKey.TryGetValue((scenario.Id, engine), out var r) ? Cell(r) : "—").Append(" |");
            }

            text.AppendLine();
        }

        AppendReasons(text, report, ConformanceStatus.Fail, "Failures");
        AppendReasons(text, report, ConformanceStatus.Skip, "Skips");
        return text.ToString();
    }

    private static string Cell(ConformanceResult result) => result.Status switch
    {
        ConformanceStatus.Pass => string.Create(CultureInfo.InvariantCulture, $"pass {result.Milliseconds:0} ms"),
        ConformanceStatus.Fail => string.Create(CultureInfo.InvariantCulture, $"**FAIL** {result.Milliseconds:0} ms"),
        _ => "skip",
    };

    // Reasons grouped per engine: an engine skipped wholesale for one reason takes one line, not one per scenario.
    private static void AppendReasons(StringBuilder text, ConformanceReport report, ConformanceStatus status, string heading)
    {
        var results = report.Results.Where(r => r.Status == status).ToList();
        if (results.Count == 0)
        {
            return;
        }

        text.AppendLine().Append("## ").AppendLine(heading).AppendLine();
        foreach (var group in results.GroupBy(r => (r.Engine, r.Reason)))
        {
            var total = report.Results.Count(r => r.Engine == group.Key.Engine);
            var ids = group.Count() == total ? $"all {total} scenarios" : string.Join(", ", group.Select(r => r.Scenario));
            text.Append(CultureInfo.InvariantCulture, $"- **{group.Key.Engine}** {ids}: ").AppendLine(Escape(group.Key.Reason ?? string.Empty));
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
