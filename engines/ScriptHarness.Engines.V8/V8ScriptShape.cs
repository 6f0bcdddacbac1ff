using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// What the prelude builds per script from the host's data: the tool names (<c>["ns.name", …]</c>) and the context
/// (<c>ScriptContext.ToScriptJson</c>), as the JSON text handed to the engine.
/// </summary>
internal sealed record V8ScriptShape(string ToolNamesJson, string ContextJson)
{
    /// <summary>
    /// The context with every string emptied: what a context prepared ahead needs (its keys and kinds of values give V8
    /// its shapes), without another script's run, conversation or host values in the next script's heap.
    /// </summary>
    public string ContextShapeJson()
    {
        var node = JsonNode.Parse(ContextJson);
        Empty(node);
        return node?.ToJsonString() ?? "null";
    }

    private static void Empty(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[key] = string.Empty;
                    }
                    else
                    {
                        Empty(obj[key]);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        array[i] = string.Empty;
                    }
                    else
                    {
                        Empty(array[i]);
                    }
                }

                break;
        }
    }
}
