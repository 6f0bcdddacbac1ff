using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

/// <summary>A fake model: replays the responses of a recorded conversation, streamed word by word.</summary>
internal sealed class ReplayChatClient : IChatClient
{
    private readonly Queue<JsonElement> _steps;

    /// <param name="recordingPath">The recorded conversation.</param>
    /// <param name="skip">Steps an earlier instance already replayed (a host that restarted mid-conversation).</param>
    public ReplayChatClient(string recordingPath, int skip = 0)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(recordingPath));
        _steps = new Queue<JsonElement>(document.RootElement.GetProperty("steps").EnumerateArray().Skip(skip).Select(s => s.Clone()));
        Replayed = skip;
    }

    /// <summary>The steps replayed so far, those of earlier instances included.</summary>
    public int Replayed { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = Next(messages.LastOrDefault()?.Text ?? string.Empty);
        var words = reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Delay(15, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == words.Length - 1 ? words[i] : words[i] + " ");
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private string Next(string lastMessage)
    {
        Replayed++;
        if (!_steps.TryDequeue(out var step))
        {
            return "(the recorded conversation has ended)";
        }

        if (step.TryGetProperty("cases", out var cases))
        {
            foreach (var @case in cases.EnumerateArray())
            {
                if (lastMessage.Contains(@case.GetProperty("if").GetString()!, StringComparison.Ordinal))
                {
                    return @case.GetProperty("text").GetString()!;
                }
            }
        }

        return step.GetProperty("text").GetString()!;
    }
}
