using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

/// <summary>Lone surrogates, raw or escaped, at the edges of a text, in values, keys and an outcome's texts.</summary>
public sealed class WellFormedTextTests
{
    // 'H' and 'L' stand for a high and a low surrogate: lone surrogates cannot live in attribute arguments.
    [Theory]
    [InlineData("", true)]
    [InlineData("aHLb", true)]
    [InlineData("Hx", false)]
    [InlineData("xL", false)]
    public void IsWellFormed_FindsALoneSurrogateAnywhere_TheFirstCharacterToo(string template, bool expected)
    {
        Assert.Equal(expected, WellFormedText.IsWellFormed(template.Replace('H', '\uD83D').Replace('L', '\uDE00')));
    }

    [Theory]
    [InlineData("\"ok\"", true)]
    [InlineData("\"\\ud83d\\ude00\"", true)]
    [InlineData("\"\\\\ud800\"", true)]
    [InlineData("\\ud800", false)]
    [InlineData("\"ab\\ud800\"", false)]
    [InlineData("\"\\udc00\\ud800\"", false)]
    public void IsWellFormedJson_FindsEscapedLoneSurrogates_NotEscapedBackslashes(string json, bool expected)
    {
        Assert.Equal(expected, WellFormedText.IsWellFormedJson(json));
    }

    [Theory]
    [InlineData("\\ud800x", "\\uFFFDx")]
    [InlineData("\\udc00\\ud800", "\\uFFFD\\uFFFD")]
    [InlineData("a\\ud800", "a\\uFFFD")]
    [InlineData("\"\\ud83d\\ude00 \\ud800\"", "\"\\ud83d\\ude00 \\uFFFD\"")]
    [InlineData("ab\\u12", "ab\\u12")]
    [InlineData("\"\\\\ud800\"", "\"\\\\ud800\"")]
    public void RepairJson_ReplacesEachLoneEscape_AtTheStartAndTheEndToo(string json, string expected)
    {
        Assert.Equal(expected, WellFormedText.RepairJson(json));
    }

    [Fact]
    public void RepairJson_OfWellFormedJson_IsTheSameInstance()
    {
        var json = "{\"a\":\"\\ud83d\\ude00\"}";

        Assert.Same(json, WellFormedText.RepairJson(json));
    }

    [Fact]
    public void Repair_AnObjectWithOneBadMember_CopiesTheOthers_AndLeavesTheOriginalAlone()
    {
        var original = new JsonObject { ["bad"] = "\uD800", ["good"] = new JsonObject { ["x"] = 1 } };

        var repaired = Assert.IsType<JsonObject>(WellFormedText.Repair(original));

        Assert.NotSame(original, repaired);
        Assert.Equal("{\"bad\":\"\\uFFFD\",\"good\":{\"x\":1}}", repaired.ToJsonString());
        Assert.Equal("\uD800", (string?)original["bad"]);
    }

    [Fact]
    public void Repair_AnArrayWithOneBadItem_CopiesTheOthers()
    {
        var original = new JsonArray("\uD800", new JsonObject { ["x"] = 1 }, null);

        var repaired = Assert.IsType<JsonArray>(WellFormedText.Repair(original));

        Assert.NotSame(original, repaired);
        Assert.Equal("[\"\\uFFFD\",{\"x\":1},null]", repaired.ToJsonString());
    }

    [Fact]
    public void Repair_WellFormedNodes_AreTheSameInstances()
    {
        JsonNode[] nodes =
        [
            new JsonObject { ["a"] = "ok", ["b"] = new JsonArray(1, "x") },
            new JsonArray("ok", 1),
            JsonValue.Create("ok"),
            JsonValue.Create(5),
            JsonNode.Parse("\"parsed \\ud83d\\ude00\"")!,
            JsonNode.Parse("{\"k\":\"v\"}")!,
        ];

        Assert.All(nodes, node => Assert.Same(node, WellFormedText.Repair(node)));
    }

    [Fact]
    public void Repair_AParsedStringWithALoneEscape_IsRepaired()
    {
        Assert.Equal("a\uFFFDb", (string?)WellFormedText.Repair(JsonNode.Parse("\"a\\ud800b\"")));
        Assert.Equal("\uFFFD", (string?)WellFormedText.Repair(JsonValue.Create("\uDC00")));
    }

    [Fact]
    public void RepairTexts_RepairsTheErrorItsStackWarningsAndLogs_AndKeepsAWellFormedOutcome()
    {
        var outcome = ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.RuntimeError, "m\uD800") { Stack = "at f\uDC00" }) with
        {
            Logs = [new LogEntry(LogLevel.Information, "fine"), new LogEntry(LogLevel.Warning, "w\uD800")],
        };

        var repaired = WellFormedText.RepairTexts(outcome);

        Assert.Equal(("m\uFFFD", "at f\uFFFD"), (repaired.Error!.Message, repaired.Error.Stack));
        Assert.Equal(["fine", "w\uFFFD"], repaired.Logs.Select(l => l.Message));
        Assert.Same(outcome.Logs[0], repaired.Logs[0]);

        var noStack = WellFormedText.RepairTexts(ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.RuntimeError, "\uD800")));
        Assert.Equal(("\uFFFD", (string?)null), (noStack.Error!.Message, noStack.Error.Stack));

        var warningOnly = ScriptOutcome.Ok(1, null) with { Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "w\uDC00")] };
        Assert.Equal("w\uFFFD", Assert.Single(WellFormedText.RepairTexts(warningOnly).Warnings).Message);

        var fine = ScriptOutcome.Failed(1, new ScriptError(ScriptErrorCode.RuntimeError, "ok") { Stack = "at f" }) with
        {
            Logs = [new LogEntry(LogLevel.Information, "fine")],
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "w")],
        };
        Assert.Same(fine, WellFormedText.RepairTexts(fine));
    }

    [Fact]
    public void IsLoneSurrogateFailure_IsSystemTextJsonsInvalidOperation_DirectOrWrapped()
    {
        Assert.True(WellFormedText.IsLoneSurrogateFailure(new InvalidOperationException()));
        Assert.True(WellFormedText.IsLoneSurrogateFailure(new JsonException("x", new InvalidOperationException())));
        Assert.False(WellFormedText.IsLoneSurrogateFailure(new JsonException("x")));
        Assert.False(WellFormedText.IsLoneSurrogateFailure(new FormatException()));
    }

    [Fact]
    public void RepairItem_AValueWithAKeyThatCannotBeRead_IsAnArgumentException_NamingTheItem()
    {
        var item = new ScriptResultItem(3, ScriptOutcome.Ok(3, JsonNode.Parse("{\"\\ud800\":1}")));

        var ex = Assert.Throws<ArgumentException>("item", () => WellFormedText.Repair(item));

        Assert.StartsWith("The item at index 3 holds a JSON key that is not valid UTF-16 text and cannot be read.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepairItem_ACallResultWithAKeyThatCannotBeRead_IsKeptAsItIs()
    {
        var result = JsonNode.Parse("{\"\\ud800\":1}");
        var item = new ScriptResultItem(1, ScriptOutcome.Ok(1, JsonValue.Create("v\uD800")) with
        {
            Calls = [new ToolCallRecord("s#1", "t", ToolCallStatus.Succeeded, TimeSpan.Zero) { Result = result }],
        });

        var repaired = Assert.IsType<ScriptResultItem>(WellFormedText.Repair(item));

        Assert.Equal("v\uFFFD", (string?)repaired.Outcome.Value);
        Assert.Same(result, Assert.Single(repaired.Outcome.Calls).Result);
    }
}
