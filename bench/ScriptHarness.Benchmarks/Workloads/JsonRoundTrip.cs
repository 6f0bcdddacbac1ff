using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// The speed issue's yardstick for marshalling: one UTF-8 JSON round trip of an argument with System.Text.Json, its
/// values read (numbers parsed to doubles, strings unescaped) and written back (numbers formatted, strings escaped) —
/// what any .NET host does to take JSON in and give it back. A tool call crosses its argument out and back in, so an
/// echo costs at least about two of these.
/// </summary>
internal static class JsonRoundTrip
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>The median time of one round trip of <paramref name="json"/>, in µs, over batches of about a millisecond.</summary>
    public static double MedianMicroseconds(string json, int batches = 101)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var buffer = new ArrayBufferWriter<byte>(utf8.Length * 2);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);

        // Warm up, and pick a batch size near a millisecond so the timer's resolution does not matter.
        var perBatch = 1;
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 200)
        {
            Once(utf8, buffer, writer);
            perBatch++;
        }

        perBatch = Math.Max(1, perBatch / 200);
        var samples = new double[batches];
        for (var b = 0; b < batches; b++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perBatch; i++)
            {
                Once(utf8, buffer, writer);
            }

            samples[b] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / perBatch;
        }

        Array.Sort(samples);
        return samples[batches / 2];
    }

    private static void Once(byte[] utf8, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        using (var document = JsonDocument.Parse(utf8))
        {
            Write(writer, document.RootElement);
        }

        writer.Flush();
        if (buffer.WrittenCount == 0)
        {
            throw new InvalidOperationException("the round trip wrote nothing");
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteNumberValue(element.GetDouble());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBooleanValue(element.GetBoolean());
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
