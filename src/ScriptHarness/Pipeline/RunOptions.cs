using ScriptHarness.Approvals;
using ScriptHarness.Context;

namespace ScriptHarness.Pipeline;

/// <summary>Per-run settings: who the reply belongs to, and overrides of the harness defaults.</summary>
public sealed record RunOptions
{
    /// <summary>
    /// Conversation, session and turn ids; fresh ad-hoc ids when null. Scripts keep state (<c>store</c>/<c>load</c>) under
    /// the conversation id; with none, or a blank one, they get <c>state_unavailable</c>.
    /// </summary>
    public RunIdentity? Identity { get; init; }

    /// <summary>The tool mode for this run; the harness default when null.</summary>
    public ToolMode? Mode { get; init; }

    /// <summary>Who approves tool calls that need it in this run; the harness's approver when null.</summary>
    public IApprovalService? Approvals { get; init; }
}
