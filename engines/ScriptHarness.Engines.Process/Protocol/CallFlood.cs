using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// The most tool-call frames one run may send. The host's bridge refuses calls past the script's budget itself, but
/// calls to unknown tools do not count against that budget, hence the slack. The worker refuses calls past this bound
/// on its own side (a script's finalization callbacks can make thousands of calls at once), so only a worker that is
/// off the protocol ever reaches it, and the host kills that one.
/// </summary>
internal static class CallFlood
{
    private const int Slack = 1024;

    /// <summary>The bound for a script with <paramref name="limits"/>.</summary>
    public static int MaxFrames(ScriptLimits limits) => limits.MaxToolCalls + Slack;
}
