namespace ScriptHarness.Context;

/// <summary>Who a run belongs to: the conversation, session and turn ids the host supplies.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="SessionId">The agent session.</param>
/// <param name="TurnId">The model turn.</param>
public sealed record RunIdentity(string ConversationId, string SessionId, string TurnId)
{
    /// <summary>An identity for ad-hoc runs (CLI, tests) with fresh random ids.</summary>
    public static RunIdentity NewAdHoc()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new RunIdentity("conv-" + id, "sess-" + id, "turn-1");
    }
}
