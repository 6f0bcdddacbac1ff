using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Chat;

/// <summary>
/// Code mode as chat middleware: tells the model the API (<see cref="CodeModeInstructions"/>), runs every
/// <c>&lt;tool-calls&gt;</c> block of its responses, gives it the results and calls it again, until a response has no
/// block or <see cref="ScriptHarnessChatClientOptions.MaxIterations"/> is reached — as
/// <see cref="FunctionInvokingChatClient"/> does for function calls.
/// </summary>
/// <remarks>
/// <para>The caller sees each model response as it came, then per block a <see cref="CodeInterpreterToolCallContent"/>
/// (the source, <c>text/javascript</c>) and a <see cref="CodeInterpreterToolResultContent"/> (the block's jsonl item),
/// and a user message with the results in <c>&lt;tool-results&gt;</c>, which is what the model reads. The UI contents
/// are marked and left out when the conversation goes back to the model.</para>
/// <para>A nested tool call that needs approval ends the response with a <see cref="ToolApprovalRequestContent"/> naming
/// that call's tool and arguments while the script stays suspended. The next request carrying the matching
/// <see cref="ToolApprovalResponseContent"/> resumes it: approved, the tool runs; denied, the call fails with
/// <c>approval_denied</c> and the reason. Unanswered within <see cref="ScriptHarnessChatClientOptions.ApprovalTimeout"/>,
/// it fails with <c>approval_timeout</c>. Streaming starts each block the moment it closes.</para>
/// <para>Over a harness with durable approvals (<see cref="ScriptHarnessOptions.DurableApprovals"/>) nothing waits in
/// memory: the blocks run to their end, and those that ended <see cref="ScriptStatus.Suspended"/> end the response with
/// one <see cref="ToolApprovalRequestContent"/> each, whose <c>RequestId</c> carries the
/// resume token. The answer may come hours later, to any client instance over a harness on the same state store: it
/// resumes the block (<see cref="IScriptHarness.ResumeAsync"/>) and, once no block of the reply waits any more, gives the
/// model every block's result. The conversation is the only state, so send it back with the response messages
/// (their <see cref="CodeInterpreterToolResultContent"/>s hold the other blocks' results and which answers were acted on).
/// An unknown, expired or used token is that block's result (<c>resume_token_unknown</c>), never an exception.</para>
/// </remarks>
public sealed class ScriptHarnessChatClient : DelegatingChatClient
{
    private readonly IScriptHarness _harness;
    private readonly ScriptHarnessChatClientOptions _options;
    private readonly TimeProvider _time;
    private readonly string _instructions;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ScriptRun Run, PendingApproval Pending)> _awaiting = new(StringComparer.Ordinal);
    private readonly LinkedList<ScriptRun> _suspended = new();
    private readonly string _clientKey = Guid.NewGuid().ToString("N")[..8];
    private long _runs;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The model.</param>
    /// <param name="harness">Runs the blocks.</param>
    /// <param name="tools">The tools the harness offers, for the declarations the model is given.</param>
    /// <param name="options">Settings; the defaults when null.</param>
    /// <exception cref="ConfigurationException">The options are invalid (every problem is listed).</exception>
    public ScriptHarnessChatClient(IChatClient innerClient, IScriptHarness harness, ToolRegistry tools, ScriptHarnessChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(tools);
        _options = options ?? new ScriptHarnessChatClientOptions();
        if (_options.Validate() is { Count: > 0 } problems)
        {
            throw new ConfigurationException(problems);
        }

        _harness = harness;
        _time = _options.TimeProvider ?? TimeProvider.System;
        _instructions = CodeModeInstructions.For(tools);
    }

    /// <summary>The instructions added to each request (the rules and the TypeScript declarations).</summary>
    public string Instructions => _instructions;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(messages, options, streaming: false, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(messages, options, streaming: true, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                foreach (var run in _suspended)
                {
                    run.Dispose();
                }

                _suspended.Clear();
                _awaiting.Clear();
            }
        }

        base.Dispose(disposing);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RunAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var given = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var history = ChatContents.ForModel(given);
        var chatOptions = WithInstructions(options);
        var run = Resume(given);
        if (run is null && DurableRequests.Unsettled(given) is { Count: > 0 } answers)
        {
            var settled = new DurableSettlement();
            await foreach (var update in ResumeDurableAsync(given, answers, options, settled, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            if (settled.Results is not { } resultsMessage)
            {
                yield break;
            }

            history.Add(resultsMessage);
        }

        var iteration = 0;
        while (true)
        {
            if (run is null)
            {
                iteration++;
                var mayRun = iteration < _options.MaxIterations;
                var turn = new ModelTurn();
                var updates = streaming
                    ? StreamModelAsync(history, chatOptions, mayRun, options, turn, cancellationToken)
                    : CallModelAsync(history, chatOptions, mayRun, options, turn, cancellationToken);
                await foreach (var update in updates.ConfigureAwait(false))
                {
                    yield return update;
                }

                history.AddRange(ChatContents.ForModel(turn.Messages));
                run = turn.Run;
                if (run is null)
                {
                    yield break;
                }

                if (turn.Calls.Count > 0)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, turn.Calls) { MessageId = turn.MessageId };
                }
            }

            var drive = new Drive(run, NewId("results"));
            var completed = false;
            try
            {
                await foreach (var update in DriveAsync(drive, cancellationToken).ConfigureAwait(false))
                {
                    yield return update;
                }

                completed = !drive.Suspended;
            }
            finally
            {
                if (!drive.Suspended)
                {
                    Forget(run);
                    if (!completed)
                    {
                        run.Dispose();
                    }
                }
            }

            if (drive.Suspended)
            {
                yield break;
            }

            if (run.Results.Where(r => r.Outcome is { Status: ScriptStatus.Suspended, Suspension: not null }).ToList() is { Count: > 0 } suspended)
            {
                // Durable approvals: nothing waits in memory. The answers come with a later request, to any instance.
                run.Dispose();
                yield return new ChatResponseUpdate(ChatRole.Assistant,
                    [.. suspended.Select(r => (AIContent)DurableRequests.Request(run.Key, r.Index, r.Outcome.Suspension!))]) { MessageId = NewId("approval") };
                yield break;
            }

            var results = new ChatMessage(ChatRole.User, ChatContents.ResultsText(run.Results)) { MessageId = drive.MessageId };
            yield return new ChatResponseUpdate(ChatRole.User, results.Text) { MessageId = drive.MessageId };
            history.Add(results);
            run.Dispose();
            run = null;
        }
    }

    /// <summary>What answering durable requests left: the results message for the model once every block of the run has ended.</summary>
    private sealed class DurableSettlement
    {
        public ChatMessage? Results { get; set; }
    }

    // Resumes each answered block through the harness (the token and the state store are all it takes), then either asks
    // again for the blocks still waiting or, when none is, gives the model every block's result as a fresh run would.
    private async IAsyncEnumerable<ChatResponseUpdate> ResumeDurableAsync(IReadOnlyCollection<ChatMessage> given, List<DurableRequests.Answer> answers,
        ChatOptions? options, DurableSettlement settled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var contents = given.SelectMany(m => m.Contents).ToList();
        var resultsId = NewId("results");
        foreach (var answer in answers)
        {
            var response = answer.Response;
            var decision = response.Approved ? ApprovalDecision.Approve : ApprovalDecision.Deny(response.Reason ?? "denied by the user");

            // Never an exception for a bad token: resume_token_unknown is the block's result, which the model reads.
            // A resumed block keeps its own identity: these options only carry the approver for its later calls.
            var outcome = await _harness.ResumeAsync(answer.Id.Token, decision, new RunOptions(), cancellationToken).ConfigureAwait(false);
            var item = new ScriptResultItem(answer.Id.Index, outcome with { Index = answer.Id.Index });
            var result = DurableRequests.Resumed(answer.Id.RunKey, item, answer.Id.Token);
            contents.Add(result);
            yield return new ChatResponseUpdate(ChatRole.User, [result]) { MessageId = resultsId };
            if (outcome is { Status: ScriptStatus.Suspended, Suspension: { } again })
            {
                contents.Add(DurableRequests.Request(answer.Id.RunKey, answer.Id.Index, again));
            }
        }

        var runKey = answers[^1].Id.RunKey;
        if (DurableRequests.Waiting(contents, runKey) is { Count: > 0 } waiting)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [.. waiting]) { MessageId = NewId("approval") };
            yield break;
        }

        // One message with the resumed results, as a run's results and their text are.
        var text = ChatContents.ResultsText(DurableRequests.Results(contents, runKey));
        settled.Results = new ChatMessage(ChatRole.User, text) { MessageId = resultsId };
        yield return new ChatResponseUpdate(ChatRole.User, text) { MessageId = resultsId };
    }

    /// <summary>What one model response left: its messages, and the run of its blocks if it had any.</summary>
    private sealed class ModelTurn
    {
        public List<ChatMessage> Messages { get; } = [];

        public List<AIContent> Calls { get; set; } = [];

        public ScriptRun? Run { get; set; }

        public string? MessageId { get; set; }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> CallModelAsync(List<ChatMessage> history, ChatOptions? chatOptions, bool mayRun,
        ChatOptions? original, ModelTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await InnerClient.GetResponseAsync(history, chatOptions, cancellationToken).ConfigureAwait(false);
        var messageId = NewId("reply");
        foreach (var message in response.Messages)
        {
            message.MessageId ??= messageId;
        }

        turn.Messages.AddRange(response.Messages);
        turn.MessageId = response.Messages.LastOrDefault()?.MessageId;
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }

        var reply = response.Text;
        if (mayRun && ChatContents.HasBlock(reply))
        {
            var (key, number) = NewRun();
            turn.Calls = ChatContents.Calls(key, reply);
            turn.Run = ScriptRun.Start(key, _options.ApprovalTimeout, _time, (o, t) => _harness.RunAsync(reply, o, t), RunOptionsFor(original, number));
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamModelAsync(List<ChatMessage> history, ChatOptions? chatOptions, bool mayRun,
        ChatOptions? original, ModelTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messageId = NewId("reply");
        var updates = new List<ChatResponseUpdate>();
        var chunks = Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        var (key, number) = NewRun();

        // Started before the first token, so each block runs the moment its closing tag streams past.
        var run = mayRun ? ScriptRun.Start(key, _options.ApprovalTimeout, _time, (o, t) => _harness.RunStreamingAsync(chunks.Reader, o, t), RunOptionsFor(original, number)) : null;
        try
        {
            await foreach (var update in InnerClient.GetStreamingResponseAsync(history, chatOptions, cancellationToken).ConfigureAwait(false))
            {
                update.MessageId ??= messageId;
                updates.Add(update);
                if (run is not null && update.Text is { Length: > 0 } text)
                {
                    run.Reply.Append(text);
                    chunks.Writer.TryWrite(text);
                }

                yield return update;
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        var response = updates.ToChatResponse();
        turn.Messages.AddRange(response.Messages);
        turn.MessageId = response.Messages.LastOrDefault()?.MessageId ?? messageId;
        if (run is null)
        {
            yield break;
        }

        var reply = run.Reply.ToString();
        if (ChatContents.HasBlock(reply))
        {
            turn.Calls = ChatContents.Calls(key, reply);
            turn.Run = run;
        }
        else
        {
            run.Dispose();
        }
    }

    /// <summary>The state of driving one run within one request.</summary>
    private sealed class Drive(ScriptRun run, string messageId)
    {
        public ScriptRun Run { get; } = run;

        public string MessageId { get; } = messageId;

        public bool Suspended { get; set; }
    }

    // Reads the run until it completes, or until every script still running waits for a person.
    private async IAsyncEnumerable<ChatResponseUpdate> DriveAsync(Drive drive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = drive.Run;
        var requested = new List<AIContent>();
        while (true)
        {
            RunSignal? signal;
            if (!run.TryRead(out signal))
            {
                if (requested.Count > 0 || HasUnanswered(run))
                {
                    Suspend(run);
                    drive.Suspended = true;
                    yield return new ChatResponseUpdate(ChatRole.Assistant, requested.Count > 0 ? requested : Unanswered(run)) { MessageId = NewId("approval") };
                    yield break;
                }

                signal = await run.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            switch (signal)
            {
                case RunSignal.Result result:
                    run.Results.Add(result.Item);
                    yield return new ChatResponseUpdate(ChatRole.User, [ChatContents.Result(run.Key, result.Item)]) { MessageId = drive.MessageId };
                    break;
                case RunSignal.Approval approval:
                    // Whoever holds the id answers the call, and the request that answers it drives the run and gets its
                    // results: 128 random bits, so that no one can answer a request they were not shown (one client
                    // serves many users, and the rest of the id counts up).
                    var id = $"{run.Key}:{approval.Pending.RequestId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
                    lock (_gate)
                    {
                        _awaiting[id] = (run, approval.Pending);
                    }

                    requested.Add(ChatContents.ApprovalRequest(id, run.Key, approval.Pending));
                    break;
                case RunSignal.Completed { Failure: { } failure }:
                    // The run was cancelled or failed inside the harness: the request fails the same way.
                    throw failure is OperationCanceledException ? new OperationCanceledException(failure.Message, failure, cancellationToken) : failure;
                case RunSignal.Completed:
                    yield break;
            }
        }
    }

    private bool HasUnanswered(ScriptRun run)
    {
        lock (_gate)
        {
            return _awaiting.Values.Any(a => ReferenceEquals(a.Run, run) && a.Pending.Status == ApprovalStatus.Pending);
        }
    }

    private List<AIContent> Unanswered(ScriptRun run)
    {
        lock (_gate)
        {
            return [.. _awaiting.Where(a => ReferenceEquals(a.Value.Run, run) && a.Value.Pending.Status == ApprovalStatus.Pending)
                .Select(a => (AIContent)ChatContents.ApprovalRequest(a.Key, run.Key, a.Value.Pending))];
        }
    }

    private void Suspend(ScriptRun run)
    {
        ScriptRun? evicted = null;
        lock (_gate)
        {
            if (!_suspended.Contains(run))
            {
                _suspended.AddLast(run);
                if (_suspended.Count > _options.MaxSuspendedRuns)
                {
                    evicted = Evictable();
                    Forget(evicted);
                }
            }
        }

        evicted?.Dispose();
    }

    // The oldest run of the conversation that keeps the most suspended, so that one conversation (one user of a shared
    // client) that suspends run after run cancels its own, not others'. Runs of requests that named no conversation
    // count as one.
    private ScriptRun Evictable()
    {
        var busiest = _suspended.GroupBy(r => r.Conversation ?? string.Empty, StringComparer.Ordinal)
            .MaxBy(g => g.Count())!
            .Key;
        return _suspended.First(r => (r.Conversation ?? string.Empty) == busiest);
    }

    private void Forget(ScriptRun run)
    {
        lock (_gate)
        {
            _suspended.Remove(run);
            foreach (var id in _awaiting.Where(a => ReferenceEquals(a.Value.Run, run)).Select(a => a.Key).ToList())
            {
                _awaiting.Remove(id);
            }
        }
    }

    // Settles the approvals this request answers; returns the suspended run to go on with.
    private ScriptRun? Resume(IEnumerable<ChatMessage> messages)
    {
        ScriptRun? resumed = null;
        foreach (var response in messages.SelectMany(m => m.Contents).OfType<ToolApprovalResponseContent>())
        {
            (ScriptRun Run, PendingApproval Pending) entry;
            lock (_gate)
            {
                if (!_awaiting.Remove(response.RequestId, out entry))
                {
                    continue;
                }
            }

            // False when the request timed out meanwhile: the script already has approval_timeout.
            _ = response.Approved ? entry.Pending.Approve() : entry.Pending.Deny(response.Reason ?? "denied by the user");
            resumed = entry.Run;
        }

        return resumed;
    }

    private ChatOptions? WithInstructions(ChatOptions? options)
    {
        if (!_options.AddInstructions)
        {
            return options;
        }

        var result = options?.Clone() ?? new ChatOptions();
        result.Instructions = string.IsNullOrEmpty(result.Instructions) ? _instructions : result.Instructions + "\n\n" + _instructions;
        return result;
    }

    // The turn is the run's own number: read again from the counter, two requests at once could both take the later one.
    private RunOptions RunOptionsFor(ChatOptions? options, long run) => new()
    {
        Identity = options?.ConversationId is { Length: > 0 } conversation
            ? new RunIdentity(conversation, "chat-" + _clientKey, "turn-" + run.ToString(CultureInfo.InvariantCulture))
            : null,
    };

    private (string Key, long Number) NewRun()
    {
        var number = Interlocked.Increment(ref _runs);
        return ($"sh-{_clientKey}-{number.ToString(CultureInfo.InvariantCulture)}", number);
    }

    private static string NewId(string kind) => kind + "-" + Guid.NewGuid().ToString("N")[..12];
}
