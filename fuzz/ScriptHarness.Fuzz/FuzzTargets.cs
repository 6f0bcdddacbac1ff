using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Fuzz;

/// <summary>
/// One input's check per target. A target returns normally for any input the code under test handles as documented
/// (a result, or the typed error it promises); anything else — another exception, a broken invariant — escapes and is a
/// crash for AFL and a failure for the replay. Hangs are AFL's time limit.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["detector"] = Detector,
        ["validator"] = Validator,
        ["msgpack"] = MessagePack,
        ["schema"] = Schema,
        ["decoder"] = Decoder,
    };

    // Lazy: instrumented code must not run before Fuzzer.OutOfProcess.Run has attached AFL's shared memory.
    private static readonly Lazy<ScriptValidator> SharedValidator = new(() => new ScriptValidator());

    /// <summary>The streaming detector: segments tile the reply, and any chunking (the first byte picks it) gives the same segments.</summary>
    private static void Detector(byte[] input)
    {
        var chunkSize = input.Length == 0 ? 1 : 1 + (input[0] % 17);
        var reply = Encoding.UTF8.GetString(input);
        var whole = ToolCallDetector.Detect(reply);
        var at = 0;
        for (var i = 0; i < whole.Count; i++)
        {
            Check(whole[i].Index == i, $"segment {i} has index {whole[i].Index}");
            Check(whole[i].Start == at, $"segment {i} starts at {whole[i].Start}, expected {at}");
            at += whole[i].Length;
        }

        Check(at == reply.Length, $"segments cover {at} of {reply.Length} characters");
        var streamed = StreamingToolCallDetector.DetectAsync(Chunks(reply, chunkSize)).ToBlockingList();
        Check(streamed.Count == whole.Count && streamed.Zip(whole).All(p => Same(p.First, p.Second)),
            $"chunks of {chunkSize} give {streamed.Count} segments, the whole reply {whole.Count}");
    }

    /// <summary>The validator (Acornima + banned identifiers) gives a result for any bytes; never throws.</summary>
    private static void Validator(byte[] input)
    {
        var fromBytes = SharedValidator.Value.Validate(input);
        if (!fromBytes.IsValid && fromBytes.Error is null)
        {
            throw new InvalidOperationException("an invalid script without an error");
        }
    }

    /// <summary>The MessagePack reader: an item, or FormatException; an item read writes and reads back.</summary>
    private static void MessagePack(byte[] input)
    {
        ResponseItem item;
        try
        {
            item = ResponseItemMessagePack.Deserialize(input);
        }
        catch (FormatException)
        {
            return;
        }

        var again = ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item));
        Check(again.GetType() == item.GetType() && again.Index == item.Index, "an item read does not read back after writing");
        _ = ResponseItemJson.ToJsonLine(item);
    }

    /// <summary>
    /// The schema validator: first line a schema, the rest arguments. Preparing the schema succeeds or is refused, and
    /// checking arguments completes or fails with tool_validation_failed.
    /// </summary>
    private static void Schema(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var cut = text.IndexOf('\n', StringComparison.Ordinal);
        if (cut < 0 || !TryParse(text[..cut], out var schemaNode) || schemaNode is not JsonObject schema || !TryParse(text[(cut + 1)..], out var arguments))
        {
            return;
        }

        ArgumentSchema prepared;
        try
        {
            prepared = ArgumentSchema.For(schema);
        }
        catch (Exception ex) when (ex is ToolException or ArgumentException or InvalidOperationException or JsonException or FormatException or NotSupportedException)
        {
            // A schema the host gives is the host's to get right; refusing it with an exception is documented.
            return;
        }

        try
        {
            prepared.ValidateAsync("fuzz.tool", arguments, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (ToolException ex)
        {
            Check(ex.Code == ScriptErrorCode.ToolValidationFailed.ToCode(), $"validation failed with {ex.Code}");
        }

        // No other exception: a schema outside the compiled subset that NJsonSchema cannot read ("minimum": "x"), a
        // `pattern` .NET cannot parse ("^a)$") or one NJsonSchema divides by ("multipleOf": 0) fails its calls with
        // tool_validation_failed saying so (NJsonSchemaArgumentSchema). Earlier fuzz runs found such schemas; they stay
        // in the corpus (crash-*).
    }

    /// <summary>The reply decoder: no invalid offsets exactly when the bytes are valid UTF-8, offsets in range and ascending.</summary>
    private static void Decoder(byte[] input)
    {
        var decoded = ReplyDecoder.Decode(input);
        var strict = new UTF8Encoding(false, true);
        bool valid;
        try
        {
            _ = strict.GetString(input);
            valid = true;
        }
        catch (DecoderFallbackException)
        {
            valid = false;
        }

        Check(valid == (decoded.InvalidOffsets.Count == 0), $"valid UTF-8 {valid}, {decoded.InvalidOffsets.Count} invalid offsets");
        for (var i = 0; i < decoded.InvalidOffsets.Count; i++)
        {
            Check(decoded.InvalidOffsets[i] >= 0 && decoded.InvalidOffsets[i] <= decoded.Text.Length, "invalid offset out of range");
            Check(i == 0 || decoded.InvalidOffsets[i] > decoded.InvalidOffsets[i - 1], "invalid offsets not ascending");
        }

        if (valid)
        {
            Check(string.Equals(decoded.Text, Encoding.UTF8.GetString(input.AsSpan(input.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? 3 : 0)), StringComparison.Ordinal)
                || string.Equals(decoded.Text, Encoding.UTF8.GetString(input), StringComparison.Ordinal), "valid UTF-8 decoded to other text");
        }
    }

    private static bool TryParse(string json, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return true;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }

    private static bool Same(ReplySegment a, ReplySegment b) => (a, b) switch
    {
        (MalformedSegment x, MalformedSegment y) => x.Index == y.Index && x.Start == y.Start && x.Length == y.Length && x.Error.Code == y.Error.Code,
        _ => a == b,
    };

    private static async IAsyncEnumerable<string> Chunks(string reply, int size)
    {
        for (var at = 0; at < reply.Length; at += size)
        {
            yield return reply.Substring(at, Math.Min(size, reply.Length - at));
        }

        await Task.CompletedTask;
    }

    private static List<T> ToBlockingList<T>(this IAsyncEnumerable<T> items)
    {
        return Collect().GetAwaiter().GetResult();

        async Task<List<T>> Collect()
        {
            var list = new List<T>();
            await foreach (var item in items)
            {
                list.Add(item);
            }

            return list;
        }
    }

    private static void Check(bool holds, string what)
    {
        if (!holds)
        {
            throw new FuzzInvariantException(what);
        }
    }
}

/// <summary>An invariant of a target did not hold for an input.</summary>
internal sealed class FuzzInvariantException(string message) : Exception(message);
