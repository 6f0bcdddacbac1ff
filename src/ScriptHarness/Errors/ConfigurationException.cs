namespace ScriptHarness;

/// <summary>
/// The configuration of a harness is unusable (options, engine, tools); <see cref="Problems"/> lists every problem at
/// once and <see cref="Exception.Message"/> joins them. Thrown where a host starts or builds the harness, never to a script.
/// </summary>
public sealed class ConfigurationException : ScriptHarnessException
{
    /// <summary>The stable <see cref="Code"/> of every configuration error.</summary>
    public const string ErrorCode = "invalid_configuration";

    /// <summary>Creates the exception from the list of problems.</summary>
    public ConfigurationException(IReadOnlyList<string> problems)
        : base(ScriptErrorCode.HarnessInternal, "Invalid ScriptHarness configuration: " + string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Each problem found, one per entry.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Always <c>invalid_configuration</c> (<see cref="ErrorCode"/>). A configuration error never reaches a script, so it
    /// has no script error code of its own: <see cref="ScriptHarnessException.Error"/> says <c>harness_internal</c>.
    /// </summary>
    public override string Code => ErrorCode;

    /// <summary>Always false: the same options fail the same way until someone changes them.</summary>
    public override bool Retryable => false;
}
