using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.State;

/// <summary>
/// The harness tools behind a script's <c>store(key, value)</c> and <c>load(key)</c> (<c>$state.store</c>,
/// <c>$state.load</c>): one JSON document per conversation in the <see cref="IScriptStateStore"/>, with the value-size
/// cap and the conversation's quota checked here, before anything is written.
/// </summary>
internal sealed class StateTools(IScriptStateStore? store, ScriptStateOptions options)
{
    public const string StoreName = "$state.store";
    public const string LoadName = "$state.load";

    public IEnumerable<ToolDefinition> Definitions()
    {
        yield return ToolDefinition.Harness(StoreName, "Keeps a JSON value under a key for the rest of the conversation.", StoreSchema(), StoreAsync);
        yield return ToolDefinition.Harness(LoadName, "Reads the JSON value kept under a key, or null.", KeySchema(), LoadAsync);
    }

    private async ValueTask<JsonNode?> StoreAsync(JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        var (conversation, key) = Target(args, call);
        var value = args!["value"];
        var valueBytes = new JsonByteCounter().Count(value);
        if (valueBytes > options.MaxValueBytes)
        {
            throw new ToolException(ScriptErrorCode.StateValueTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"the value for '{key}' is {valueBytes} bytes of JSON, over the limit of {options.MaxValueBytes} bytes a value"));
        }

        var document = await ReadAsync(conversation, cancellationToken).ConfigureAwait(false);

        // `store(key, undefined)` arrives without a value: it removes the key.
        if (((JsonObject)args).ContainsKey("value"))
        {
            document[key] = value?.DeepClone();
        }
        else
        {
            document.Remove(key);
        }

        var bytes = StateJson.ToUtf8(document);
        if (bytes.Length > options.MaxConversationBytes)
        {
            throw new ToolException(ScriptErrorCode.StateQuotaExceeded, string.Create(CultureInfo.InvariantCulture,
                $"storing '{key}' would take this conversation's state to {bytes.Length} bytes, over its quota of {options.MaxConversationBytes} bytes; store less or remove keys with store(key, undefined)"));
        }

        using var limit = Limit(cancellationToken);
        try
        {
            await store!.SaveAsync(conversation, bytes, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(ex);
        }

        return null;
    }

    private async ValueTask<JsonNode?> LoadAsync(JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        var (conversation, key) = Target(args, call);
        var document = await ReadAsync(conversation, cancellationToken).ConfigureAwait(false);
        return document.TryGetPropertyValue(key, out var value) ? value?.DeepClone() : null;
    }

    private (string Conversation, string Key) Target(JsonNode? args, ToolCallContext call)
    {
        if (store is null)
        {
            throw new ToolException(ScriptErrorCode.StateUnavailable, "state is not available: this host has no state store configured");
        }

        if (!call.Script.ConversationGiven)
        {
            throw new ToolException(ScriptErrorCode.StateUnavailable, "state is not available: this run was given no conversation id to keep it under");
        }

        var key = args?["key"]?.GetValue<string>() ?? string.Empty;
        if (key.Length > options.MaxKeyLength)
        {
            throw ToolException.Validation(string.Create(CultureInfo.InvariantCulture, $"a state key is at most {options.MaxKeyLength} characters"));
        }

        return (call.Script.ConversationId, key);
    }

    private async ValueTask<JsonObject> ReadAsync(string conversation, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        using (var limit = Limit(cancellationToken))
        {
            try
            {
                bytes = await store!.LoadAsync(conversation, limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The store failed, or did not answer within State.StoreTimeout; the call itself was not cancelled.
                throw Failed(ex);
            }
        }

        if (bytes is null || bytes.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            // Someone else wrote the entry: reported, never silently replaced.
            throw new ToolException(ScriptErrorCode.StateStoreFailed, "the conversation's state in the store is not a JSON object", ex);
        }
    }

    private CancellationTokenSource Limit(CancellationToken cancellationToken)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.StoreTimeout);
        return limit;
    }

    private ToolException Failed(Exception ex) => ex is OperationCanceledException
        ? new(ScriptErrorCode.StateStoreFailed, string.Create(CultureInfo.InvariantCulture,
            $"the state store did not answer within {options.StoreTimeout.TotalSeconds:0.###} s; try again"), ex)
        : new(ScriptErrorCode.StateStoreFailed, "the state store failed; try again", ex);

    private static JsonObject KeySchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["key"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
        ["required"] = new JsonArray("key"),
        ["additionalProperties"] = false,
    };

    private static JsonObject StoreSchema()
    {
        var schema = KeySchema();
        ((JsonObject)schema["properties"]!)["value"] = new JsonObject();
        return schema;
    }
}
