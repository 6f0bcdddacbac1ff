using System.Globalization;
using System.Text;

namespace ScriptHarness.Parsing;

/// <summary>
/// The parsing stage: checks that a script block is well-formed UTF-8 text within the size limit, parses as
/// the body of an async function without escaping it, and references no banned global; then hashes it.
/// Never throws for a bad script: every rejection is a <see cref="ScriptValidationResult"/> carrying a
/// typed <see cref="ScriptError"/> with a script line and column where one applies. Thread-safe.
/// </summary>
internal sealed class ScriptValidator
{
    private const string NotUtf8 = "The script holds text that is not valid UTF-8";

    private readonly int _maxScriptBytes;
    private readonly BannedIdentifierScanner _scanner;

    /// <summary>Creates a validator.</summary>
    /// <param name="options">What to accept; <see cref="ScriptValidatorOptions.Default"/> when null.</param>
    /// <exception cref="ConfigurationException">The options are invalid; the message lists every problem.</exception>
    public ScriptValidator(ScriptValidatorOptions? options = null)
    {
        options ??= ScriptValidatorOptions.Default;
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        _maxScriptBytes = options.MaxScriptBytes;
        _scanner = new BannedIdentifierScanner(options.BannedIdentifiers);
    }

    /// <summary>Validates a script given as text.</summary>
    /// <param name="source">The block's source; a leading byte order mark (U+FEFF) is removed.</param>
    public ScriptValidationResult Validate(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length > 0 && source[0] == ScriptText.Bom)
        {
            source = source[1..];
        }

        // A lone surrogate has no UTF-8 form: encoders would silently turn it into U+FFFD.
        var unpaired = ScriptText.IndexOfUnpairedSurrogate(source);
        if (unpaired >= 0)
        {
            return ScriptValidationResult.Rejected(InvalidUtf8Error(source, unpaired));
        }

        var byteCount = Encoding.UTF8.GetByteCount(source);
        var usesState = false;
        var error = CheckSize(byteCount) ?? CheckSyntaxAndReferences(source, out usesState);
        return error is not null
            ? ScriptValidationResult.Rejected(error)
            : ScriptValidationResult.Valid(new ParsedScript(source, ScriptHash.OfText(source, byteCount)) { SizeBytes = byteCount, UsesState = usesState });
    }

    /// <summary>Validates a script given as UTF-8 bytes, decoded strictly: any invalid sequence rejects it.</summary>
    /// <param name="utf8">The block's bytes; a leading UTF-8 byte order mark is removed.</param>
    public ScriptValidationResult Validate(ReadOnlySpan<byte> utf8)
    {
        var bomLength = utf8.StartsWith(ScriptText.Utf8Bom) ? ScriptText.Utf8Bom.Length : 0;
        var body = utf8[bomLength..];
        var invalid = ScriptText.IndexOfInvalidUtf8(body);
        if (invalid >= 0)
        {
            return ScriptValidationResult.Rejected(InvalidUtf8AtByte(body, invalid, bomLength));
        }

        // Size before decoding, so an oversized block costs no string.
        var error = CheckSize(body.Length);
        if (error is not null)
        {
            return ScriptValidationResult.Rejected(error);
        }

        var source = Encoding.UTF8.GetString(body);
        error = CheckSyntaxAndReferences(source, out var usesState);
        return error is not null
            ? ScriptValidationResult.Rejected(error)
            : ScriptValidationResult.Valid(new ParsedScript(source, ScriptHash.OfUtf8(body)) { SizeBytes = body.Length, UsesState = usesState });
    }

    /// <summary>
    /// The <c>invalid_utf8</c> error for a script that holds undecodable text at <paramref name="offset"/>, e.g. a
    /// block of a reply whose bytes were invalid (<see cref="DecodedReply.HasInvalidUtf8(int, int)"/>).
    /// </summary>
    /// <param name="source">The script text (with U+FFFD where bytes were invalid).</param>
    /// <param name="offset">UTF-16 offset in <paramref name="source"/> of the first bad character.</param>
    public static ScriptError InvalidUtf8Error(string source, int offset)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (line, column) = ScriptText.PositionOf(source, offset);
        return new ScriptError(ScriptErrorCode.InvalidUtf8, NotUtf8 + ".") { Line = line, Column = column };
    }

    private static ScriptError InvalidUtf8AtByte(ReadOnlySpan<byte> body, int invalid, int bomLength)
    {
        // The bytes before the bad sequence are valid, so they decode to the text the model would see.
        var before = Encoding.UTF8.GetString(body[..invalid]);
        var (line, column) = ScriptText.PositionOf(before, before.Length);
        var message = string.Create(CultureInfo.InvariantCulture, $"{NotUtf8} (invalid byte sequence at byte offset {invalid + bomLength}).");
        return new ScriptError(ScriptErrorCode.InvalidUtf8, message) { Line = line, Column = column };
    }

    private ScriptError? CheckSize(int byteCount) =>
        byteCount <= _maxScriptBytes
            ? null
            : new ScriptError(
                ScriptErrorCode.ScriptTooLarge,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The script is {byteCount} bytes of UTF-8, over the limit of {_maxScriptBytes} bytes; split the work across several smaller blocks."));

    private ScriptError? CheckSyntaxAndReferences(string source, out bool usesState)
    {
        usesState = false;
        var script = WrappedScriptParser.Parse(source, out var syntaxError);
        if (script is null)
        {
            return syntaxError;
        }

        usesState = StateUsage.Find(script);

        if (_scanner.FindFirst(script) is not { } banned)
        {
            return null;
        }

        // Acornima lines are 1-based and columns 0-based.
        var start = banned.Node.Location.Start;
        var (line, column) = ScriptWrapper.ToScriptPosition(start.Line, start.Column + 1);
        return new ScriptError(ScriptErrorCode.BannedIdentifier, BannedIdentifierMessages.For(banned.Name)) { Line = line, Column = column };
    }
}
