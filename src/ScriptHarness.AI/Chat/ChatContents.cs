using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ScriptHarness.AI.Tools;
using ScriptHarness.Approvals;
using ScriptHarness.Detection;
using ScriptHarness.Serialization;

namespace ScriptHarness.AI.Chat;

/// <summary>The M.E.AI contents code mode adds to a conversation, and what of them the model itself sees.</summary>
internal static class ChatContents
{
    /// <summary>Marks contents only hosts and UIs see; they are taken out again before the model is called.</summary>
    public const string Marker = "scriptharness";

    /// <summary>The <c>media type</c> of a script's source in <see cref="CodeInterpreterToolCallContent.Inputs"/>.</summary>
    public const string JavaScriptMediaType = "text/javascript";

    public static AdditionalPropertiesDictionary Marked(string runKey) => new() { [Marker] = runKey };

    public static bool IsMarked(AIContent content) =>
        content.AdditionalProperties?.ContainsKey(Marker) == true
        || content is ToolApprovalRequestContent { ToolCall.AdditionalProperties: { } p } && p.ContainsKey(Marker)
        || content is ToolApprovalResponseContent { ToolCall.AdditionalProperties: { } q } && q.ContainsKey(Marker)

        // An answer a UI rebuilt from the request id alone (its tool call lost the marker on the way) is still ours.
        || content is ToolApprovalResponseContent r && DurableRequests.TryParse(r.RequestId, out _);

    /// <summary>The conversation as the model gets it: without code mode's UI contents, without messages left empty.</summary>
    public static List<ChatMessage> ForModel(IEnumerable<ChatMessage> messages)
    {
        var result = new List<ChatMessage>();
        foreach (var message in messages)
        {
            if (!message.Contents.Any(IsMarked))
            {
                result.Add(message);
                continue;
            }

            var kept = message.Contents.Where(c => !IsMarked(c)).ToList();
            if (kept.Count > 0)
            {
                var copy = message.Clone();
                copy.Contents = kept;
                result.Add(copy);
            }
        }

        return result;
    }

    public static string CallId(string runKey, int index) => $"{runKey}/s{index}";

    /// <summary>One <see cref="CodeInterpreterToolCallContent"/> per block of <paramref name="reply"/>, its source as input.</summary>
    public static List<AIContent> Calls(string runKey, string reply)
    {
        var calls = new List<AIContent>();
        foreach (var segment in ToolCallDetector.Detect(reply))
        {
            if (segment is ScriptSegment script)
            {
                calls.Add(new CodeInterpreterToolCallContent(CallId(runKey, script.Index))
                {
                    Inputs = [new DataContent(Encoding.UTF8.GetBytes(script.Source.Trim('\r', '\n')), JavaScriptMediaType)],
                    AdditionalProperties = Marked(runKey),
                });
            }
        }

        return calls;
    }

    public static bool HasBlock(string reply) => ToolCallDetector.Detect(reply).Any(s => s is not TextSegment);

    public static CodeInterpreterToolResultContent Result(string runKey, ScriptResultItem item) =>
        new(CallId(runKey, item.Index))
        {
            Outputs = [new TextContent(ResponseItemJson.ToJsonLine(item))],
            AdditionalProperties = Marked(runKey),
        };

    /// <summary>What the model reads next: every block's result, one JSON line each, in reply order.</summary>
    public static string ResultsText(IEnumerable<ScriptResultItem> results) =>
        ResultsText(results.OrderBy(r => r.Index).Select(ResponseItemJson.ToJsonLine));

    /// <summary>The results message of JSON lines already in reply order.</summary>
    public static string ResultsText(IEnumerable<string> lines)
    {
        var text = new StringBuilder("<tool-results>\n");
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.Append("</tool-results>").ToString();
    }

    /// <summary>The JSON line of a result content (<see cref="Result"/>); null for any other content.</summary>
    public static string? ResultLine(CodeInterpreterToolResultContent content) =>
        content.Outputs is [TextContent { Text: var line }] ? line : null;

    /// <summary>The approval request of a nested call: the real tool and its arguments, as a function call.</summary>
    public static ToolApprovalRequestContent ApprovalRequest(string requestId, string runKey, PendingApproval pending)
    {
        // The broker's ids are "<call id>~<sequence>"; the call id is what the script's result lists.
        var tilde = pending.RequestId.LastIndexOf('~');
        var callId = tilde > 0 ? pending.RequestId[..tilde] : pending.RequestId;
        return ApprovalRequest(requestId, runKey, callId, pending.Tool, pending.Arguments);
    }

    /// <summary>An approval request naming <paramref name="tool"/> and its (sanitized) arguments as a function call.</summary>
    public static ToolApprovalRequestContent ApprovalRequest(string requestId, string runKey, string callId, string tool, JsonNode? sanitizedArguments)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (sanitizedArguments is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                arguments[key] = JsonConversions.ToElement(value);
            }
        }

        var call = new FunctionCallContent(callId, tool, arguments) { AdditionalProperties = Marked(runKey) };
        return new ToolApprovalRequestContent(requestId, call) { AdditionalProperties = Marked(runKey) };
    }
}
