namespace ScriptHarness.Conformance;

/// <summary>
/// Who answers the approval requests of a scenario's tool calls. Not the core's <c>ScriptHarness.ApprovalPolicy</c>, which decides
/// which calls need approval; this decides how a scenario's approver answers them.
/// </summary>
public enum ScenarioApprover
{
    /// <summary>No approver is given to the harness: its default denies every request.</summary>
    None,
    /// <summary>Every request is approved.</summary>
    ApproveAll,
    /// <summary>Every request is denied, with a reason the script sees.</summary>
    DenyAll,
}
