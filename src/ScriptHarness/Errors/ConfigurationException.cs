namespace ScriptHarness;

/// <summary>Options failed validation at startup; <see cref="Exception.Message"/> lists every problem at once.</summary>
public sealed class ConfigurationException : ScriptHarnessException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public ConfigurationException(IReadOnlyList<string> problems)
        : base(ScriptErrorCode.HarnessInternal, "Invalid ScriptHarness configuration: " + string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Each problem found, one per entry.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Always false: the same options fail the same way until someone changes them.</summary>
    public override bool Retryable => false;
}
