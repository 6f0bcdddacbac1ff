using System.Text;
using System.Text.Json;
using ScriptHarness.Conformance.Running;

namespace ScriptHarness.Conformance.Reporting;

/// <summary><c>{"engines":["jint",…],"results":[{"scenario":"SEC-001","engine":"jint","status":"pass","reason":null,"ms":1.2},…]}</c>.</summary>
internal static class JsonReport
{
    public static string Write(ConformanceReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("engines");
            foreach (var engine in report.Engines)
            {
                json.WriteStringValue(engine);
            }

            json.WriteEndArray();
            json.WriteStartArray("results");
            foreach (var result in report.Results)
            {
                json.WriteStartObject();
                json.WriteString("scenario", result.Scenario);
                json.WriteString("engine", result.Engine);
                json.WriteString("status", Status(result.Status));
                if (result.Reason is null)
                {
                    json.WriteNull("reason");
                }
                else
                {
                    json.WriteString("reason", result.Reason);
                }

                json.WriteNumber("ms", result.Milliseconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The wire word of a status: <c>pass</c>, <c>fail</c>, <c>skip</c>.</summary>
    public static string Status(ConformanceStatus status) => status switch
    {
        ConformanceStatus.Pass => "pass",
        ConformanceStatus.Fail => "fail",
        _ => "skip",
    };
}
