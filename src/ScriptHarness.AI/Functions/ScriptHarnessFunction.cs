using System.Text.Json;
using Microsoft.Extensions.AI;
using ScriptHarness.AI.Chat;
using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Functions;

/// <summary>
/// The harness as one function, <c>execute_script</c>, for models that only do function calling: the argument
/// <c>script</c> is the body of a <c>&lt;tool-calls&gt;</c> block, the result is that block's jsonl item as JSON
/// (<c>{"type":"script_result","status":…,"value":…,"error":…}</c>). Script failures are results, not exceptions.
/// </summary>
internal sealed class ScriptHarnessFunction : AIFunction
{
    private static readonly JsonElement ArgumentsSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"script":{"type":"string","description":"JavaScript: the body of an async function over the declared `tools`; `await` calls and `return` a JSON value."}},"required":["script"],"additionalProperties":false}
        """).RootElement.Clone();

    // The newlines keep a line comment at the script's end from swallowing the closing tag.
    private const string OpenTag = "<tool-calls>\n";
    private const string CloseTag = "\n</tool-calls>";

    private readonly IScriptHarness _harness;
    private readonly RunOptions? _runOptions;

    public ScriptHarnessFunction(IScriptHarness harness, ToolRegistry tools, string name, RunOptions? runOptions)
    {
        _harness = harness;
        _runOptions = runOptions;
        Name = name;
        Description = "Runs JavaScript in a sandbox against the host's tools and returns the script's result (status, value or an error with a code).\n\n"
            + CodeModeInstructions.Declarations(tools);
    }

    public override string Name { get; }

    public override string Description { get; }

    public override JsonElement JsonSchema => ArgumentsSchema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (ScriptArgument(arguments) is not { } script)
        {
            return Result(new ScriptResultItem(0, ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.ToolValidationFailed,
                "execute_script needs its 'script' argument: the JavaScript to run, as a string."))));
        }

        var reply = OpenTag + script + CloseTag;
        if (WholeScriptIsOneBlock(reply) is { } error)
        {
            return Result(new ScriptResultItem(0, ScriptOutcome.Failed(0, error)));
        }

        await foreach (var item in _harness.RunAsync(reply, RunOptionsForThisCall(), cancellationToken).ConfigureAwait(false))
        {
            if (item is ScriptResultItem)
            {
                return Result(item);
            }
        }

        throw new InvalidOperationException("the harness returned no result for the script");
    }

    // Called by FunctionInvokingChatClient in a request that names its conversation, and given no identity of its own:
    // the script keeps state under that conversation (store/load), and its calls are named after the model's call.
    private RunOptions? RunOptionsForThisCall() =>
        _runOptions?.Identity is null && FunctionInvokingChatClient.CurrentContext is { Options.ConversationId: { Length: > 0 } conversation } context
            ? (_runOptions ?? new RunOptions()) with { Identity = new RunIdentity(conversation, Name, context.CallContent.CallId ?? Name) }
            : _runOptions;

    private static string? ScriptArgument(AIFunctionArguments arguments) =>
        arguments.TryGetValue("script", out var value) ? value switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        } : null;

    /// <summary>
    /// The argument is the script, whole: it is wrapped in one block, and a block marker in its code (outside strings
    /// and comments) would end that block early or open another, so that part of it would silently not run.
    /// </summary>
    private static ScriptError? WholeScriptIsOneBlock(string reply)
    {
        var segments = ToolCallDetector.Detect(reply);
        var first = segments[0];
        if (segments.Count == 1 && first is ScriptSegment)
        {
            return null;
        }

        if (segments.Count == 1 && first is MalformedSegment { Error.Code: ScriptErrorCode.UnclosedBlock })
        {
            return new ScriptError(ScriptErrorCode.SyntaxError,
                "The script ends inside a string, template literal, comment or regular expression that is never closed.");
        }

        // Where the marker is, in the script's own lines: an early close ends the first segment; a nested opening is
        // the malformed segment's position, one line down in the reply for the opening tag's line.
        var (line, column) = first is MalformedSegment { Error: { Line: { } l, Column: { } c } }
            ? (l - 1, c)
            : Position(reply, first.Start + first.Length - "</tool-calls>".Length);
        return new ScriptError(ScriptErrorCode.NestedBlock,
            "The script holds a block marker (<tool-calls>, </tool-calls> or a ```js tool-calls fence) in its code, outside a string or comment. "
            + "execute_script runs its whole argument as one script, so write the marker inside a string, e.g. '</' + 'tool-calls>'.")
        {
            Line = line,
            Column = column,
        };
    }

    private static (int Line, int Column) Position(string reply, int offset)
    {
        var script = reply.AsSpan(OpenTag.Length, offset - OpenTag.Length);
        var lastBreak = script.LastIndexOf('\n');
        return (script.Count('\n') + 1, script.Length - lastBreak);
    }

    private static JsonElement Result(ResponseItem item)
    {
        using var document = JsonDocument.Parse(ResponseItemJson.ToJsonLine(item));
        return document.RootElement.Clone();
    }
}
