using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Approvals;

namespace ScriptHarness.Resume;

/// <summary>
/// The tool-call log of one block run with durable approvals: the calls it made (position, tool, arguments hash, result
/// or typed error), the call it suspended at, and — when it is a resumed run — the earlier run's log, which answers the
/// calls at the logged positions instead of running them again.
/// </summary>
/// <remarks>
/// Positions are the bridge's call numbers, given when the script makes the call, so they follow the script's own order
/// even when calls run in parallel. A call still running when the block suspended has no entry: it runs live on resume
/// (at least once, not exactly once — a handler that must not run twice should be idempotent or ask for approval).
/// Thread-safe: calls complete on tool threads.
/// </remarks>
internal sealed class ReplayLog
{
    private readonly IReadOnlyDictionary<int, LoggedCall> _earlier;
    private readonly ConcurrentDictionary<int, LoggedCall> _calls = new();
    private readonly PendingCall? _decided;
    private readonly ApprovalDecision? _decision;
    private PendingCall? _suspended;
    private ScriptError? _diverged;

    private ReplayLog(long clock, ulong seed, IReadOnlyDictionary<int, LoggedCall> earlier, PendingCall? decided, ApprovalDecision? decision)
    {
        Clock = clock;
        Seed = seed;
        _earlier = earlier;
        _decided = decided;
        _decision = decision;
    }

    /// <summary>The block's time, in ms since the Unix epoch: what <c>Date.now()</c> says throughout, on every run of it.</summary>
    public long Clock { get; }

    /// <summary>The seed of the block's <c>Math.random</c>, the same on every run of it.</summary>
    public ulong Seed { get; }

    /// <summary>The call the block suspended at; null while it has not.</summary>
    public PendingCall? Suspended => Volatile.Read(ref _suspended);

    /// <summary><c>replay_diverged</c>, when a call did not match the earlier run's log; null otherwise.</summary>
    public ScriptError? Diverged => Volatile.Read(ref _diverged);

    /// <summary>The calls completed so far, by position.</summary>
    public IReadOnlyList<LoggedCall> Calls => [.. _calls.Values.OrderBy(c => c.Position)];

    /// <summary>A first run: a clock and a seed of its own, nothing to replay.</summary>
    public static ReplayLog First(TimeProvider time) =>
        new(time.GetUtcNow().ToUnixTimeMilliseconds(), BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1,
            new Dictionary<int, LoggedCall>(), null, null);

    /// <summary>A resumed run: the earlier run's clock, seed and log, and the decision on the call it suspended at.</summary>
    public static ReplayLog Resumed(ResumeRecord record, ApprovalDecision decision) =>
        new(record.Clock, record.Seed, record.Calls.ToDictionary(c => c.Position), record.Pending, decision);

    /// <summary>SHA-256 (hex) of the arguments' JSON text, as the script gave them (so the same call hashes the same).</summary>
    public static string Hash(JsonNode? arguments) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(arguments?.ToJsonString() ?? "null")));

    /// <summary>
    /// Before the call at <paramref name="position"/> runs: its logged outcome, or null when it runs live.
    /// </summary>
    /// <exception cref="ToolException">
    /// The block has suspended (no call runs after that), or the call does not match the log (<c>replay_diverged</c>).
    /// </exception>
    public LoggedCall? Before(int position, string tool, string hash)
    {
        if (Suspended is { } suspended)
        {
            throw new ToolException(ScriptErrorCode.ApprovalDenied,
                $"the call to {tool} was not made: this block is suspended until the call to {suspended.Tool} is approved");
        }

        if (Diverged is { } diverged)
        {
            throw new ToolException(diverged.Code, diverged.Message);
        }

        var expected = _earlier.TryGetValue(position, out var logged) ? (logged.Tool, logged.Hash)
            : _decided?.Position == position ? (_decided.Tool, _decided.Hash)
            : ((string, string)?)null;
        if (expected is { } e && (e.Item1 != tool || e.Item2 != hash))
        {
            var error = new ScriptError(ScriptErrorCode.ReplayDiverged, e.Item1 != tool
                ? $"the resumed script called {tool} where its first run called {e.Item1} (call {position}); the log cannot answer for it"
                : $"the resumed script called {tool} with other arguments than its first run did (call {position}); the log cannot answer for it");
            Interlocked.CompareExchange(ref _diverged, error, null);
            throw new ToolException(error.Code, error.Message);
        }

        return logged;
    }

    /// <summary>The decision already made on the call at <paramref name="position"/>, when this run resumes at it.</summary>
    public ApprovalDecision? DecisionFor(int position) => _decided?.Position == position ? _decision : null;

    /// <summary>Suspends the block at this call; false if it already suspended at another.</summary>
    public bool Suspend(PendingCall call) => Interlocked.CompareExchange(ref _suspended, call, null) is null;

    /// <summary>Logs a call that completed (not one cancelled or cut off by the block's end).</summary>
    public void Completed(LoggedCall call) => _calls.TryAdd(call.Position, call);
}

/// <summary>One completed call of the log.</summary>
/// <param name="Position">Its number in the block (1 for the first call).</param>
/// <param name="Tool">The tool.</param>
/// <param name="Hash">SHA-256 of its arguments.</param>
/// <param name="Result">Its result; null when it failed.</param>
/// <param name="Error">Its typed error; null when it succeeded.</param>
internal sealed record LoggedCall(int Position, string Tool, string Hash, JsonNode? Result, ScriptError? Error);

/// <summary>The call a block suspended at.</summary>
/// <param name="Position">Its number in the block.</param>
/// <param name="CallId">Its id.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Hash">SHA-256 of its arguments.</param>
/// <param name="Arguments">The arguments as a person sees them (sanitized).</param>
internal sealed record PendingCall(int Position, string CallId, string Tool, string Hash, JsonNode? Arguments);
