using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;

namespace ScriptHarness.Tools;

/// <summary>What every script's tool facade shares within one harness.</summary>
internal sealed record ToolServices(ToolExecutionGate Gate, ToolArgumentValidator Validator, IApprovalService Approvals, ILogger Logger, TimeProvider Time)
{
    /// <summary>Asks for approval of calls to tools that do not require it themselves; none when null.</summary>
    public ApprovalPolicy? Policy { get; init; }

    /// <summary>The harness's own tools (state, discovery), looked up after the host's; none when null.</summary>
    public State.HarnessTools? HarnessTools { get; init; }
}
