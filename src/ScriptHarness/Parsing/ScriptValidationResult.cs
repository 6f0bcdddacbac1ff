using System.Diagnostics.CodeAnalysis;

namespace ScriptHarness.Parsing;

/// <summary>The result of validating one script: either a <see cref="ParsedScript"/> or a typed error.</summary>
internal readonly record struct ScriptValidationResult
{
    private ScriptValidationResult(ParsedScript? script, ScriptError? error)
    {
        Script = script;
        Error = error;
    }

    /// <summary>The validated script, when <see cref="IsValid"/>.</summary>
    public ParsedScript? Script { get; }

    /// <summary>Why the script was rejected, when not <see cref="IsValid"/>.</summary>
    public ScriptError? Error { get; }

    /// <summary>Whether the script passed validation.</summary>
    [MemberNotNullWhen(true, nameof(Script))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Script is not null;

    /// <summary>A valid result.</summary>
    public static ScriptValidationResult Valid(ParsedScript script) => new(script ?? throw new ArgumentNullException(nameof(script)), null);

    /// <summary>A rejection.</summary>
    public static ScriptValidationResult Rejected(ScriptError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
}
