using Acornima;
using Acornima.Ast;

namespace ScriptHarness.Parsing;

/// <summary>
/// Parses a block the way engines will run it (<see cref="ScriptWrapper"/>), checks that it stays inside the
/// wrapper, and turns parser failures into <c>syntax_error</c> values with script positions.
/// </summary>
internal static class WrappedScriptParser
{
    // Shared and never mutated; a Parser holds per-parse state, so each call creates its own.
    private static readonly ParserOptions Options = new() { EcmaVersion = EcmaVersion.Latest };

    // Acornima's code for `import.meta` in a script; there it is a parse error, here a banned reference.
    private const string ImportMetaOutsideModule = "ImportMetaOutsideModule";

    /// <summary>
    /// The body of the script's function in the parsed wrapped program (the source's own code, without the wrapper's
    /// helpers), or null with <paramref name="error"/> set.
    /// </summary>
    public static Node? Parse(string source, out ScriptError? error)
    {
        var wrapped = ScriptWrapper.WrapBare(source);
        Script script;
        try
        {
            script = new Parser(Options).ParseScript(wrapped);
        }
        catch (ParseErrorException ex)
        {
            error = FromParseError(ex.Error, source, wrapped);
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            // The parser guards its own recursion; deep nesting is the script's problem, not a harness crash.
            error = new ScriptError(ScriptErrorCode.SyntaxError, "The script is nested too deeply to parse; flatten deeply nested expressions or blocks.");
            return null;
        }
        catch (OverflowException)
        {
            // Acornima (1.9.x) reads a regular expression's decimal escape into an Int32 and overflows on `/\99999999999/`
            // instead of reporting it (found by fuzzing). Valid JavaScript in sloppy mode, but no script needs it: refusing
            // it as a syntax error keeps the model's input from becoming a harness error.
            error = new ScriptError(
                ScriptErrorCode.SyntaxError,
                "The script holds a number the parser cannot read, such as a regular expression escape whose number is too large (`\\99999999999`); use a smaller one.");
            return null;
        }

        var function = WrapperFunction(script, source.Length);
        error = function is null ? WrapperEscaped(script, source) : null;
        return function?.Body;
    }

    /// <summary>
    /// The script's function when the program is exactly the bare wrapper: one statement, the outer function returning
    /// the async function opened by the prefix, whose body runs to the suffix. Anything else means the source closed the
    /// wrapper and wrote code outside it.
    /// </summary>
    private static FunctionDeclaration? WrapperFunction(Script script, int sourceLength) =>
        script.Body is [ExpressionStatement { Expression: FunctionExpression outer }]
        && outer.Body.Body.Count == ScriptWrapper.BareStatements
        && outer.Body.Body[^2] is ReturnStatement
        && outer.Body.Body[^1] is FunctionDeclaration function
        && function is { Async: true, Generator: false, Id.Name: ScriptWrapper.ScriptName, Params.Count: 0 }
        && function.Body.Start == ScriptWrapper.BodyStart
        && function.Body.End == ScriptWrapper.BodyEnd(sourceLength)
            ? function
            : null;

    private static ScriptError WrapperEscaped(Script script, string source)
    {
        var error = new ScriptError(ScriptErrorCode.SyntaxError, "The block must be a function body; it closes the wrapper.");

        // Point at the brace that closed the wrapper: the end of the function the prefix opened.
        var closing = ScriptFunction(script) is { } function ? function.Body.End - 1 - ScriptWrapper.Prefix.Length : -1;
        if (closing < 0 || closing >= source.Length)
        {
            return error;
        }

        var (line, column) = ScriptText.PositionOf(source, closing);
        return error with { Line = line, Column = column };
    }

    private static IFunction? ScriptFunction(Node root)
    {
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            if (node is IFunction function && function.Body.Start == ScriptWrapper.BodyStart)
            {
                return function;
            }

            // Only the prefix can hold the function, so nothing past it is searched.
            foreach (var child in node.ChildNodes)
            {
                if (child.Start <= ScriptWrapper.BodyStart)
                {
                    pending.Push(child);
                }
            }
        }

        return null;
    }

    private static ScriptError FromParseError(ParseError parseError, string source, string wrapped)
    {
        var suffixStart = ScriptWrapper.Prefix.Length + source.Length;
        if (parseError.IsIndexDefined && parseError.Index >= suffixStart)
        {
            // The parser ran into the wrapper's own closing text; naming that token would confuse the model.
            var (endLine, endColumn) = ScriptText.PositionOf(source, source.Length);
            return new ScriptError(
                ScriptErrorCode.SyntaxError,
                "Unexpected end of script: a bracket, parenthesis, brace, string or template is not closed, or a `}` has no matching `{`.")
            { Line = endLine, Column = endColumn };
        }

        if (parseError.Code == ImportMetaOutsideModule)
        {
            return ImportMeta(parseError, source, wrapped);
        }

        // Description is the bare message: no "(line:column)" of the wrapped text, no file name.
        var error = new ScriptError(ScriptErrorCode.SyntaxError, parseError.Description);
        if (!parseError.IsPositionDefined)
        {
            return error;
        }

        // Acornima columns are 0-based; ScriptWrapper speaks 1-based.
        var (line, column) = ScriptWrapper.ToScriptPosition(parseError.LineNumber, parseError.Column + 1);
        return error with { Line = line, Column = column };
    }

    private static ScriptError ImportMeta(ParseError parseError, string source, string wrapped)
    {
        var error = new ScriptError(ScriptErrorCode.BannedIdentifier, BannedIdentifierMessages.For(BannedIdentifierMessages.ImportMeta));
        if (!parseError.IsIndexDefined)
        {
            return error;
        }

        // The parser points at `meta`; report the `import` keyword when only `.` and spaces lie between.
        const string Keyword = "import";
        var at = Math.Clamp(parseError.Index, 0, wrapped.Length);
        var import = wrapped.AsSpan(0, at).LastIndexOf(Keyword, StringComparison.Ordinal);
        if (import >= 0 && wrapped.AsSpan(import + Keyword.Length, at - import - Keyword.Length).Trim() is ".")
        {
            at = import;
        }

        var offset = Math.Clamp(at - ScriptWrapper.Prefix.Length, 0, source.Length);
        var (line, column) = ScriptText.PositionOf(source, offset);
        return error with { Line = line, Column = column };
    }
}
