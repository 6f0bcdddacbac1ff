using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ScriptHarness.AI.Tests.Chat;

/// <summary>A fake model: answers each request with the next scripted reply and records what it was sent.</summary>
internal sealed class ScriptedChatClient(params string[] replies) : IChatClient
{
    private readonly Queue<string> _replies = new(replies);

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    /// <summary>Called in streaming after each chunk is yielded; may wait for the harness to do something.</summary>
    public Func<string, Task>? AfterChunk { get; init; }

    /// <summary>Replies are streamed in chunks of this many characters.</summary>
    public int ChunkSize { get; init; } = 7;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = Next(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = Next(messages, options);
        for (var i = 0; i < reply.Length; i += ChunkSize)
        {
            var chunk = reply.Substring(i, Math.Min(ChunkSize, reply.Length - i));
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
            if (AfterChunk is not null)
            {
                await AfterChunk(chunk);
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private string Next(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Requests.Add(([.. messages], options));
        return _replies.Count > 0 ? _replies.Dequeue() : throw new InvalidOperationException("the script of the conversation ran out");
    }
}
