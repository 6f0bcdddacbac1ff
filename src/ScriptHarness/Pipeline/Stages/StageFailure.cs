using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>
/// What a stage makes of its own failure: the exception goes to the host's log, the block gets a
/// <c>harness_internal</c> result. A stage never throws, because a throwing Dataflow delegate faults the whole reply.
/// </summary>
internal static class StageFailure
{
    public static ScriptError Internal(string message) => new(ScriptErrorCode.HarnessInternal, message);

    /// <summary>Logs <paramref name="exception"/> as a failure of <paramref name="stage"/> and returns the block's result.</summary>
    public static ScriptOutcome Logged(HarnessServices services, int index, Exception exception, string stage)
    {
        services.LogInternal(exception, stage);
        return ScriptOutcome.Failed(index, Internal($"internal error in the {stage} stage"));
    }
}
