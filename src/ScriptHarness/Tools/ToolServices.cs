using Microsoft.Extensions.Logging;
using ScriptHarness.Approvals;

namespace ScriptHarness.Tools;

/// <summary>What every script's tool facade shares within one harness.</summary>
internal sealed record ToolServices(ToolExecutionGate Gate, ToolArgumentValidator Validator, IApprovalService Approvals, ILogger Logger, TimeProvider Time);
