using System.Diagnostics.CodeAnalysis;
namespace ScriptHarness;

/// <summary>
/// The one exception hierarchy of ScriptHarness. Inside the pipeline errors are values
/// (<see cref="ScriptError"/>); this type is thrown only at the public edge and by tool handlers that want
/// a specific code.
/// </summary>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter (a ScriptError, or a code and a message); the optional inner exception follows the Exception(string, Exception) convention.")]
public class ScriptHarnessException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public ScriptHarnessException(ScriptError error, Exception? innerException = null)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message, innerException)
    {
        Error = error;
    }

    /// <summary>Creates the exception from a code and message.</summary>
    public ScriptHarnessException(ScriptErrorCode code, string message, Exception? innerException = null)
        : this(new ScriptError(code, message), innerException)
    {
    }

    /// <summary>The typed error.</summary>
    public ScriptError Error { get; }

    /// <summary>The stable code: the wire code of <see cref="Error"/>, unless a subclass names its own kind.</summary>
    public virtual string Code => Error.WireCode;

    /// <summary>Whether the failed operation may succeed if tried again.</summary>
    public virtual bool Retryable => Error.Retryable;
}
