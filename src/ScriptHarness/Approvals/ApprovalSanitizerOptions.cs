namespace ScriptHarness.Approvals;

/// <summary>How <see cref="ApprovalSanitizer"/> shortens and redacts tool arguments before a person sees them.</summary>
public sealed record ApprovalSanitizerOptions
{
    /// <summary>The defaults.</summary>
    public static ApprovalSanitizerOptions Default { get; } = new();

    /// <summary>Strings (values and keys) longer than this keep this many characters and a "…(N more characters)" note. Default 200.</summary>
    public int MaxStringLength { get; init; } = 200;

    /// <summary>Arrays longer than this keep this many items and one "…(N more items)" string item. Default 10.</summary>
    public int MaxArrayItems { get; init; } = 10;

    /// <summary>Objects with more properties keep this many and one <c>"…"</c> property saying how many were left out. Default 50.</summary>
    public int MaxProperties { get; init; } = 50;

    /// <summary>Objects and arrays nested deeper than this many levels (the arguments themselves are level 1) become <c>"[…]"</c>. Default 8.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>
    /// A property whose name contains one of these (ignoring case) has its value replaced by <c>"[redacted]"</c>, at any depth.
    /// Default: password, secret, token, key, auth, credential.
    /// </summary>
    public IReadOnlyList<string> SensitiveKeyFragments { get; init; } = ["password", "secret", "token", "key", "auth", "credential"];

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(MaxStringLength >= 1, nameof(MaxStringLength), "must be at least 1");
        Check(MaxArrayItems >= 0, nameof(MaxArrayItems), "must not be negative");
        Check(MaxProperties >= 0, nameof(MaxProperties), "must not be negative");
        Check(MaxDepth >= 1, nameof(MaxDepth), "must be at least 1");
        Check(SensitiveKeyFragments is not null && SensitiveKeyFragments.All(f => !string.IsNullOrEmpty(f)),
            nameof(SensitiveKeyFragments), "must not be null or contain null or empty fragments (an empty one would redact everything)");
        return problems;

        void Check(bool ok, string name, string rule)
        {
            if (!ok)
            {
                problems.Add($"ApprovalSanitizerOptions.{name} {rule}");
            }
        }
    }
}
