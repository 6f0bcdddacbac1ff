using System.Globalization;
using Microsoft.Extensions.Logging;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>
/// The words of every refusal of the wire forms: a reader of a broken line is told which key, value or entry broke it,
/// and the durations at the edge of what a <see cref="TimeSpan"/> holds.
/// </summary>
public sealed class WireMessagesTests
{
    private const string Minimal =
        """{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""";

    public static TheoryData<string, string> Refusals => new()
    {
        { "[]", "A response item must be a JSON object with a string \"type\"." },
        { """{"type":1,"index":0}""", "A response item must be a JSON object with a string \"type\"." },
        { """{"type":"image","index":0}""", "Unknown response item type 'image'." },
        { Minimal.Replace("\"status\":\"ok\"", "\"status\":\"done\"", StringComparison.Ordinal), "Unknown status 'done'." },
        { Minimal.Replace("\"logs\":[]", "\"logs\":[{\"level\":\"fatal\",\"message\":\"m\"}]", StringComparison.Ordinal), "Unknown log level 'fatal'." },
        { Minimal.Replace("\"logs\":[]", "\"logs\":[null]", StringComparison.Ordinal), "'logs' holds a null entry." },
        { Minimal.Replace("\"warnings\":[]", "\"warnings\":[null]", StringComparison.Ordinal), "'warnings' holds a null entry." },
        { Minimal.Replace("\"status\":\"ok\"", "\"status\":\"error\"", StringComparison.Ordinal).Replace("\"error\":null", "\"error\":{\"code\":\"kaboom\",\"message\":\"m\"}", StringComparison.Ordinal), "Unknown error code 'kaboom'." },
        { Minimal.Replace("\"logs\":[]", "\"logs\":[],\"calls\":[{\"id\":\"a\",\"tool\":\"t\",\"status\":\"lost\",\"ms\":1}]", StringComparison.Ordinal), "Unknown tool call status 'lost'." },
        { Minimal.Replace("\"durationMs\":1", "\"durationMs\":" + TimeSpan.MaxValue.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal),
            $"durationMs {TimeSpan.MaxValue.TotalMilliseconds} is not a valid duration." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_ALineBreakingTheContract_SaysWhat(string line, string message)
    {
        var error = Assert.Throws<FormatException>(() => ResponseItemJson.Parse(line));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_TextThatIsNoJson_SaysItIsNoResponseItem()
    {
        var error = Assert.Throws<FormatException>(() => ResponseItemJson.Parse("{\"type\":"));

        Assert.StartsWith("Not a valid response item: ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Parse_ADurationJustUnderTheLongestTimeSpan_IsRead()
    {
        var line = Minimal.Replace("\"durationMs\":1", "\"durationMs\":922337203685476", StringComparison.Ordinal);

        var read = (ScriptResultItem)ResponseItemJson.Parse(line);

        // A double carries this many milliseconds to within a tenth of a microsecond's ticks, not to the tick.
        Assert.InRange(read.Outcome.Duration.TotalMilliseconds, 922337203685475.9, 922337203685476.1);
    }

    [Fact]
    public void Parse_EveryLogLevel_IsRead()
    {
        string[] levels = ["log", "info", "warn", "error", "debug"];
        var line = Minimal.Replace("\"logs\":[]", "\"logs\":[" + string.Join(',', levels.Select(l => $"{{\"level\":\"{l}\",\"message\":\"m\"}}")) + "]", StringComparison.Ordinal);

        var read = (ScriptResultItem)ResponseItemJson.Parse(line);

        Assert.Equal([LogLevel.Information, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Debug], read.Outcome.Logs.Select(l => l.Level));
    }

    [Fact]
    public void Write_AValueNestedPastTheLimit_SaysAtWhichIndexAndHowDeep()
    {
        var error = Assert.Throws<ArgumentException>(() => ResponseItemJson.ToJsonLine(SampleItems.WithValue(SampleItems.NestedArrays(64))));

        Assert.StartsWith("The value of the script at index 5 nests deeper than 63 levels; the wire forms cannot carry it.", error.Message, StringComparison.Ordinal);
    }
}
