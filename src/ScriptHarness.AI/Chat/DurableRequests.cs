using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.AI.Chat;

/// <summary>
/// Approval requests of blocks a harness with durable approvals left <see cref="ScriptStatus.Suspended"/>. Everything a
/// later request needs to continue is in the conversation itself, so any client instance — in another process, days
/// later — can continue it: the request id names the run, the block and the resume token; the blocks' results are the
/// <see cref="CodeInterpreterToolResultContent"/>s of earlier responses; a resumed block's result carries the token it
/// used, so an answer is acted on once however often the conversation is sent again.
/// </summary>
internal static partial class DurableRequests
{
    /// <summary>On a resumed block's result: the token it was resumed with.</summary>
    public const string ResumedProperty = "scriptharness.resumed";

    /// <summary>A block waiting for an answer: the request asking for it.</summary>
    /// <param name="RunKey">The run of the reply the block is in.</param>
    /// <param name="Index">The block's segment index in that reply.</param>
    /// <param name="Token">The resume token.</param>
    public readonly record struct Id(string RunKey, int Index, string Token)
    {
        public override string ToString() => $"{RunKey}/s{Index.ToString(CultureInfo.InvariantCulture)}/resume/{Token}";
    }

    /// <summary>An answer to a durable request that no response has acted on yet.</summary>
    public sealed record Answer(Id Id, ToolApprovalResponseContent Response);

    [GeneratedRegex(@"^(?<run>sh-[0-9a-f]{8}-[0-9]{1,18})/s(?<index>[0-9]{1,6})/resume/(?<token>[0-9a-f]{1,64})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static bool TryParse(string? requestId, out Id id)
    {
        id = default;
        if (requestId is null || IdPattern().Match(requestId) is not { Success: true } match)
        {
            return false;
        }

        id = new Id(match.Groups["run"].Value, int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture), match.Groups["token"].Value);
        return true;
    }

    /// <summary>The request for a suspended block: the waiting call's tool and sanitized arguments, the token in its id.</summary>
    public static ToolApprovalRequestContent Request(string runKey, int index, ScriptSuspension suspension) =>
        ChatContents.ApprovalRequest(new Id(runKey, index, suspension.Token).ToString(), runKey, suspension.CallId, suspension.Tool, suspension.Arguments);

    /// <summary>The result content of a block resumed with <paramref name="token"/>.</summary>
    public static CodeInterpreterToolResultContent Resumed(string runKey, ScriptResultItem item, string token)
    {
        var content = ChatContents.Result(runKey, item);
        content.AdditionalProperties![ResumedProperty] = token;
        return content;
    }

    /// <summary>The answers in <paramref name="messages"/> to durable requests that no earlier response acted on, in order.</summary>
    public static List<Answer> Unsettled(IEnumerable<ChatMessage> messages)
    {
        var contents = messages.SelectMany(m => m.Contents).ToList();
        var used = contents.OfType<CodeInterpreterToolResultContent>()
            .Select(r => r.AdditionalProperties?.TryGetValue(ResumedProperty, out var token) == true ? token?.ToString() : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var answers = new List<Answer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var response in contents.OfType<ToolApprovalResponseContent>())
        {
            if (TryParse(response.RequestId, out var id) && !used.Contains(id.Token) && seen.Add(id.Token))
            {
                answers.Add(new Answer(id, response));
            }
        }

        return answers;
    }

    /// <summary>The durable requests of <paramref name="runKey"/> in <paramref name="contents"/> that nothing there answers.</summary>
    public static List<ToolApprovalRequestContent> Waiting(IReadOnlyCollection<AIContent> contents, string runKey)
    {
        var answered = contents.OfType<ToolApprovalResponseContent>().Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
        var waiting = new List<ToolApprovalRequestContent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in contents.OfType<ToolApprovalRequestContent>())
        {
            if (TryParse(request.RequestId, out var id) && id.RunKey == runKey && !answered.Contains(request.RequestId) && seen.Add(request.RequestId))
            {
                waiting.Add(request);
            }
        }

        return waiting;
    }

    /// <summary>The last result of each block of <paramref name="runKey"/> in <paramref name="contents"/>, in reply order.</summary>
    public static IEnumerable<string> Results(IReadOnlyCollection<AIContent> contents, string runKey)
    {
        var latest = new SortedDictionary<int, string>();
        var prefix = runKey + "/s";
        foreach (var result in contents.OfType<CodeInterpreterToolResultContent>())
        {
            if (result.CallId is { } callId && callId.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(callId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && ChatContents.ResultLine(result) is { } line)
            {
                latest[index] = line;
            }
        }

        return latest.Values;
    }
}
