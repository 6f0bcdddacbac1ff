namespace ScriptHarness.Approvals;

/// <summary>
/// What a call needing approval acts on, resolved by its tool: the place a person must see in full before saying yes.
/// Sanitizing may shorten the arguments shown; it never touches the target.
/// </summary>
/// <param name="Path">The resolved target, e.g. a path relative to the workspace root after <c>.</c>, <c>..</c> and
/// symbolic links (<c>docs/././../.git/hooks/pre-commit</c> is <c>.git/hooks/pre-commit</c>), never shortened.</param>
/// <param name="Warnings">What deserves a second look, e.g. a write into a dot-directory or an executable location;
/// empty when nothing does.</param>
public sealed record ApprovalTarget(string Path, IReadOnlyList<string> Warnings);
