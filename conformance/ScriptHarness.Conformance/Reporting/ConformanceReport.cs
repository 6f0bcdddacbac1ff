using System.Globalization;
using System.Text;
using ScriptHarness.Conformance.Running;

namespace ScriptHarness.Conformance.Reporting;

/// <summary>
/// The engine × scenario matrix of a conformance run, written as <c>report.md</c> (for people) and
/// <c>report.json</c> (<c>{"engines":[…],"results":[{"scenario","engine","status","reason","ms"},…]}</c>).
/// </summary>
public sealed class ConformanceReport
{
    /// <summary>Creates a report of <paramref name="results"/> for <paramref name="engines"/> (columns, in order) over <paramref name="scenarios"/> (rows).</summary>
    public ConformanceReport(IReadOnlyList<string> engines, IReadOnlyList<ConformanceScenario> scenarios, IReadOnlyList<ConformanceResult> results)
    {
        Engines = engines ?? throw new ArgumentNullException(nameof(engines));
        Scenarios = scenarios ?? throw new ArgumentNullException(nameof(scenarios));
        Results = results ?? throw new ArgumentNullException(nameof(results));
    }

    /// <summary>The engine names, in column order.</summary>
    public IReadOnlyList<string> Engines { get; }

    /// <summary>The scenarios, in row order.</summary>
    public IReadOnlyList<ConformanceScenario> Scenarios { get; }

    /// <summary>Every result, one per engine and scenario.</summary>
    public IReadOnlyList<ConformanceResult> Results { get; }

    /// <summary>True when no scenario failed on any engine (passes and skips only).</summary>
    public bool Succeeded => Results.All(r => r.Status != ConformanceStatus.Fail);

    /// <summary>The summary line of <paramref name="engine"/>: counts of each status and the total time.</summary>
    public string Summary(string engine)
    {
        var mine = Results.Where(r => r.Engine == engine).ToList();
        int Count(ConformanceStatus s) => mine.Count(r => r.Status == s);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{engine}: {Count(ConformanceStatus.Pass)} passed, {Count(ConformanceStatus.Fail)} failed, {Count(ConformanceStatus.Skip)} skipped of {mine.Count} in {mine.Sum(r => r.Milliseconds) / 1000:0.0} s");
        var reasons = mine.Where(r => r.Status == ConformanceStatus.Skip).Select(r => r.Reason).Distinct().ToList();
        return mine.Count > 0 && Count(ConformanceStatus.Skip) == mine.Count && reasons.Count == 1 ? $"{line} ({reasons[0]})" : line;
    }

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonReport.Write(this);

    /// <summary>The Markdown form.</summary>
    public string ToMarkdown() => MarkdownReport.Write(this);

    /// <summary>Writes <c>report.md</c> and <c>report.json</c> into <paramref name="directory"/>, creating it; returns their paths.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, "report.md");
        var json = Path.Combine(directory, "report.json");
        await File.WriteAllTextAsync(markdown, ToMarkdown(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(json, ToJson(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return [markdown, json];
    }
}
