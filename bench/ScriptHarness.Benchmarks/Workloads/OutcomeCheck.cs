using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>Checks a script's outcome against the workload's expected value; null when right, else what went wrong.</summary>
internal static class OutcomeCheck
{
    public static string? Value(ScriptOutcome? outcome, object? expected)
    {
        if (outcome is null)
        {
            return "no script outcome";
        }

        if (outcome.Status != ScriptStatus.Ok)
        {
            return outcome.Error?.ToString() ?? outcome.Status.ToString();
        }

        if (expected is null)
        {
            return null;
        }

        var actual = outcome.Value;
        var same = expected switch
        {
            double d => actual is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() == d,
            string s => actual is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == s,
            _ => false,
        };
        return same ? null : "got " + (actual?.ToJsonString() ?? "null") + ", expected " + Convert.ToString(expected, CultureInfo.InvariantCulture);
    }

    public static string? Error(ScriptOutcome? outcome, ScriptErrorCode code) =>
        outcome?.Error?.Code == code ? null : $"expected {code.ToCode()}, got {outcome?.Error?.ToString() ?? outcome?.Status.ToString() ?? "nothing"}";
}
