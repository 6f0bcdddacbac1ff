namespace ScriptHarness.Conformance;

/// <summary>Who answers the approval requests of a scenario's tool calls.</summary>
public enum ApprovalPolicy
{
    /// <summary>No approver is given to the harness: its default denies every request.</summary>
    None,
    /// <summary>Every request is approved.</summary>
    ApproveAll,
    /// <summary>Every request is denied, with a reason the script sees.</summary>
    DenyAll,
}
