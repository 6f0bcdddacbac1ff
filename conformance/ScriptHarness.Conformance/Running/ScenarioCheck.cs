using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Conformance.Running;

/// <summary>Compares what a scenario did with its <see cref="ScenarioExpectation"/>; every difference is reported.</summary>
internal static class ScenarioCheck
{
    private const int MaxShown = 300;

    /// <param name="scenario">The scenario.</param>
    /// <param name="observation">What it did.</param>
    /// <param name="processIsolated">
    /// The engine runs in worker processes: a script expected to end with <c>memory_limit</c> may also end with
    /// <c>engine_crashed</c> (its worker went over the hard memory cap and was killed) — a typed end, the host alive.
    /// </param>
    public static List<string> Problems(ConformanceScenario scenario, ConformanceObservation observation, bool processIsolated = false)
    {
        var expect = scenario.Expect;
        var outcomes = observation.Outcomes;
        if (outcomes.Count == 0)
        {
            return ["the reply produced no script result"];
        }

        var problems = new List<string>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (Unwritable(outcomes[i]) is { } why)
            {
                problems.Add($"script {i + 1} of {outcomes.Count}: the wire forms cannot write its outcome ({why})");
            }
        }

        for (var i = 0; i < outcomes.Count - 1 && !expect.EarlierMayFail; i++)
        {
            if (outcomes[i].Status != ScriptStatus.Ok)
            {
                problems.Add($"script {i + 1} of {outcomes.Count} was expected to end ok but ended {Describe(outcomes[i])}");
            }
        }

        var final = observation.Final;
        if (final.Status != expect.Status)
        {
            problems.Add($"expected {Expected(expect)}, got {Describe(final)}");
        }
        else if (final.Status == ScriptStatus.Error && expect.Codes.Count > 0 && !expect.Codes.Contains(final.Error!.Code)
            && !(processIsolated && final.Error.Code == ScriptErrorCode.EngineCrashed && expect.Codes.Contains(ScriptErrorCode.MemoryLimit)))
        {
            problems.Add($"expected {Expected(expect)}, got {Describe(final)}");
        }

        if (expect.Value is { } json && !JsonNode.DeepEquals(final.Value, JsonNode.Parse(json)))
        {
            problems.Add($"expected the value {Clip(json)}, got {Clip(final.Value?.ToJsonString() ?? "null")}");
        }

        if (expect.Reached is { } marker && !final.Logs.Any(l => l.Message == marker))
        {
            problems.Add($"the script never logged '{marker}', so it did not run up to the attack (logs: {final.Logs.Count})");
        }

        if (final.ToolCalls < expect.MinToolCalls)
        {
            problems.Add($"expected at least {expect.MinToolCalls} tool call(s), the script made {final.ToolCalls}");
        }

        if (observation.Elapsed > expect.Within)
        {
            problems.Add($"took {observation.Elapsed.TotalMilliseconds:0} ms, over the bound of {expect.Within.TotalMilliseconds:0} ms");
        }

        if (RunCheck(expect, observation) is { } failed)
        {
            problems.Add(failed);
        }

        return problems;
    }

    /// <summary>One line about how a script ended, for failure reasons.</summary>
    public static string Describe(ScriptOutcome outcome) => outcome.Status switch
    {
        ScriptStatus.Ok => $"ok with {Clip(outcome.Value?.ToJsonString() ?? "null")}",
        ScriptStatus.Error => $"error {outcome.Error!.WireCode} ({Clip(outcome.Error.Message)})",
        ScriptStatus.Suspended => $"suspended at {outcome.Suspension?.Tool}",
        _ => "skipped",
    };

    private static string? RunCheck(ScenarioExpectation expect, ConformanceObservation observation)
    {
        if (expect.Check is null)
        {
            return null;
        }

        try
        {
            return expect.Check(observation);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or FormatException or ArgumentException or IndexOutOfRangeException)
        {
            // The outcome was not even shaped as the check expects: that is a failure of the scenario, said plainly.
            var final = observation.Outcomes.Count > 0 ? Describe(observation.Final) : "no result";
            return $"check '{expect.CheckDescription ?? "custom"}' could not read the outcome ({ex.GetType().Name}: {ex.Message}); the script ended {final}";
        }
    }

    private static string Expected(ScenarioExpectation expect) => expect.Status switch
    {
        ScriptStatus.Error when expect.Codes.Count > 0 => "error " + string.Join(" or ", expect.Codes.Select(c => c.ToCode())),
        ScriptStatus.Error => "an error",
        ScriptStatus.Ok => "ok",
        ScriptStatus.Suspended => "suspended",
        _ => "skipped",
    };

    // What a host does with every outcome: write it as a JSON line and as a MessagePack frame. An outcome one of them
    // refuses would end the host's writer mid-reply, taking the rest of the reply's results with it.
    private static string? Unwritable(ScriptOutcome outcome)
    {
        var item = new ScriptResultItem(outcome.Index, outcome);
        try
        {
            _ = ResponseItemJson.ToJsonLine(item);
            _ = ResponseItemMessagePack.Serialize(item);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException or MessagePack.MessagePackSerializationException)
        {
            return Clip($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Clip(string text) => text.Length <= MaxShown ? text : string.Concat(text.AsSpan(0, MaxShown), "…");
}
