using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Serialization;
using ScriptHarness.State;

namespace ScriptHarness.Resume;

/// <summary>
/// What a suspended block leaves in the state store under its resume token: the script (source and SHA-256), its
/// context, its clock and seed, the call it waits at and the log of the calls it made. One JSON document; a used token
/// is overwritten with a marker, so it cannot resume twice.
/// </summary>
internal sealed record ResumeRecord(
    string Source,
    string Sha256,
    RunIdentity Identity,
    int Index,
    ToolMode Mode,
    bool ConversationGiven,
    long Clock,
    ulong Seed,
    PendingCall Pending,
    IReadOnlyList<LoggedCall> Calls)
{
    // Not a conversation id the harness makes (letters, digits and -_.:/@, or sha256: and hex), so never a conversation's state.
    private const string KeyPrefix = "$resume/";

    private const string ClaimPrefix = "$claimed/";

    private static readonly byte[] UsedMarker = "{\"used\":true}"u8.ToArray();

    // Tokens being taken in this process, whatever the store: the store's read and write cannot tell two takers apart.
    private static readonly ConcurrentDictionary<string, byte> Taking = new(StringComparer.Ordinal);

    /// <summary>A fresh token: 128 random bits, hex.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Saves the record under <paramref name="token"/>; false, with nothing saved, when it would pass <paramref name="maxBytes"/>.</summary>
    public async ValueTask<bool> TrySaveAsync(IScriptStateStore store, string token, int maxBytes, CancellationToken cancellationToken)
    {
        if (ToJson(maxBytes) is not { } document)
        {
            return false;
        }

        await store.SaveAsync(KeyPrefix + token, document, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads the record of <paramref name="token"/> and marks the token used; a typed error when it cannot resume.</summary>
    public static async ValueTask<(ResumeRecord? Record, ScriptError? Error)> TakeAsync(IScriptStateStore store, string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !token.All(char.IsAsciiHexDigitLower))
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token is not one this harness gives"));
        }

        if (!Taking.TryAdd(token, 0))
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token is being resumed by another call"));
        }

        try
        {
            return await TakeOnceAsync(store, token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Taking.TryRemove(token, out _);
        }
    }

    private static async ValueTask<(ResumeRecord? Record, ScriptError? Error)> TakeOnceAsync(IScriptStateStore store, string token, CancellationToken cancellationToken)
    {
        var document = await store.LoadAsync(KeyPrefix + token, cancellationToken).ConfigureAwait(false);
        if (document is null || document.Length == 0)
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token is unknown or expired"));
        }

        if (document.AsSpan().SequenceEqual(UsedMarker))
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token was already used"));
        }

        ResumeRecord record;
        try
        {
            record = FromJson(JsonNode.Parse(document)!.AsObject());
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException or KeyNotFoundException)
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token's record is damaged"));
        }

        // Claimed and marked before the run, as a replay twice would run the approved call twice. Another instance may have
        // read the record before this one marks it: only the store's claim tells them apart. Once claimed, a failing mark
        // loses the token (state_store_failed) rather than risk a second run.
        if (store is IScriptStateClaims claims && !await claims.TryClaimAsync(ClaimPrefix + token, cancellationToken).ConfigureAwait(false))
        {
            return (null, new ScriptError(ScriptErrorCode.ResumeTokenUnknown, "the resume token was already used"));
        }

        await store.SaveAsync(KeyPrefix + token, UsedMarker, cancellationToken).ConfigureAwait(false);
        return (record, null);
    }

    // Written straight out and measured after each logged call: the log holds every result the block's calls returned,
    // and a tree copy of it would hold them twice more before its size were known.
    private byte[]? ToJson(int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteNumber("v", 1);
        writer.WriteString("source", Source);
        writer.WriteString("sha256", Sha256);
        writer.WriteString("conversationId", Identity.ConversationId);
        writer.WriteString("sessionId", Identity.SessionId);
        writer.WriteString("turnId", Identity.TurnId);
        writer.WriteNumber("index", Index);
        writer.WriteNumber("mode", (int)Mode);
        writer.WriteBoolean("conversationGiven", ConversationGiven);
        writer.WriteNumber("clock", Clock);
        writer.WriteString("seed", Seed.ToString(CultureInfo.InvariantCulture));
        writer.WriteStartObject("pending");
        writer.WriteNumber("p", Pending.Position);
        writer.WriteString("callId", Pending.CallId);
        writer.WriteString("tool", Pending.Tool);
        writer.WriteString("hash", Pending.Hash);
        WireLineWriter.Node(writer, "arguments", Pending.Arguments);
        writer.WriteEndObject();
        writer.WriteStartArray("calls");
        foreach (var call in Calls)
        {
            if (writer.BytesCommitted + writer.BytesPending > maxBytes)
            {
                return null;
            }

            writer.WriteStartObject();
            writer.WriteNumber("p", call.Position);
            writer.WriteString("tool", call.Tool);
            writer.WriteString("hash", call.Hash);
            if (call.Error is { } error)
            {
                writer.WriteStartObject("error");
                writer.WriteString("code", error.WireCode);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }
            else
            {
                WireLineWriter.Node(writer, "result", call.Result);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenCount > maxBytes ? null : buffer.WrittenSpan.ToArray();
    }

    private static ResumeRecord FromJson(JsonObject json)
    {
        if ((int)json["v"]! != 1)
        {
            throw new FormatException("unknown record version");
        }

        var pending = json["pending"]!.AsObject();
        var calls = json["calls"]!.AsArray().Select(n =>
        {
            var c = n!.AsObject();
            var error = c["error"] is JsonObject e
                ? new ScriptError(ScriptErrorCodes.TryParse((string)e["code"]!, out var code) ? code : throw new FormatException("unknown code"), (string)e["message"]!)
                : null;
            return new LoggedCall((int)c["p"]!, (string)c["tool"]!, (string)c["hash"]!, error is null ? c["result"]?.DeepClone() : null, error);
        }).ToList();
        return new ResumeRecord(
            (string)json["source"]!,
            (string)json["sha256"]!,
            new RunIdentity((string)json["conversationId"]!, (string)json["sessionId"]!, (string)json["turnId"]!),
            (int)json["index"]!,
            (ToolMode)(int)json["mode"]!,
            (bool)json["conversationGiven"]!,
            (long)json["clock"]!,
            ulong.Parse((string)json["seed"]!, CultureInfo.InvariantCulture),
            new PendingCall((int)pending["p"]!, (string)pending["callId"]!, (string)pending["tool"]!, (string)pending["hash"]!, pending["arguments"]?.DeepClone()),
            calls);
    }
}
