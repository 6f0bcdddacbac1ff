using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>Short ways to write the expectations of the catalogue.</summary>
internal static class Expect
{
    /// <summary>What scenarios log right before their attack, to prove they ran up to it.</summary>
    public const string Marker = "reached";

    /// <summary>The script ends ok with exactly this JSON value.</summary>
    public static ScenarioExpectation Returns(string json) => new() { Value = json };

    /// <summary>The script ends ok and <paramref name="check"/> holds.</summary>
    public static ScenarioExpectation Ok(string description, Func<ConformanceObservation, string?> check) =>
        new() { Check = check, CheckDescription = description };

    /// <summary>The script logs <see cref="Marker"/>, then ends with one of <paramref name="codes"/>.</summary>
    public static ScenarioExpectation Fails(params ScriptErrorCode[] codes) =>
        new() { Status = ScriptStatus.Error, Codes = codes, Reached = Marker };

    /// <summary>The parser refuses the script before it runs (e.g. <c>banned_identifier</c>): a documented, acceptable outcome.</summary>
    public static ScenarioExpectation Rejected(ScriptErrorCode code) => new() { Status = ScriptStatus.Error, Codes = [code] };

    /// <summary>Sets the time bound.</summary>
    public static ScenarioExpectation Within(this ScenarioExpectation expect, double seconds) =>
        expect with { Within = TimeSpan.FromSeconds(seconds) };

    /// <summary>Adds a check to those already there.</summary>
    public static ScenarioExpectation And(this ScenarioExpectation expect, string description, Func<ConformanceObservation, string?> check)
    {
        var before = expect.Check;
        return expect with
        {
            Check = before is null ? check : o => before(o) ?? check(o),
            CheckDescription = expect.CheckDescription is null ? description : $"{expect.CheckDescription}; {description}",
        };
    }

    /// <summary>Null when <paramref name="condition"/> holds, else <paramref name="problem"/>.</summary>
    public static string? That(bool condition, string problem) => condition ? null : problem;

    /// <summary>The final value as a string, or null when it is not one.</summary>
    public static string? Text(ConformanceObservation o) =>
        o.Final.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>
    /// Null when the final result is written by every output form — a JSON line, a MessagePack map, the text render —
    /// and both wire forms read it back to the same JSON line; else what failed.
    /// </summary>
    public static string? Serializes(ConformanceObservation o)
    {
        var item = new ScriptResultItem(o.Final.Index, o.Final);
        try
        {
            var line = ResponseItemJson.ToJsonLine(item);
            var fromJson = ResponseItemJson.ToJsonLine(ResponseItemJson.Parse(line));
            var fromMessagePack = ResponseItemJson.ToJsonLine(ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item)));
            _ = ResponseItemText.Render(item);
            return That(fromJson == line, $"the JSON line read back differs: {fromJson}")
                ?? That(fromMessagePack == line, $"the MessagePack map read back differs: {fromMessagePack}");
        }
        catch (Exception ex)
        {
            return $"writing the result threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>The final value's JSON text ("null" when absent).</summary>
    public static string Json(ConformanceObservation o) => o.Final.Value?.ToJsonString() ?? "null";
}
