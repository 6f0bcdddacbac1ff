using System.Text.Json;
using Microsoft.Extensions.AI;
using ScriptHarness.AI.Chat;
using ScriptHarness.Pipeline;
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
        var script = arguments.TryGetValue("script", out var value) ? value switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        } : null;
        if (script is null)
        {
            throw new ArgumentException("execute_script needs a 'script' string argument.", nameof(arguments));
        }

        await foreach (var item in _harness.RunAsync("<tool-calls>\n" + script + "\n</tool-calls>", _runOptions, cancellationToken).ConfigureAwait(false))
        {
            if (item is ScriptResultItem)
            {
                using var document = JsonDocument.Parse(ResponseItemJson.ToJsonLine(item));
                return document.RootElement.Clone();
            }
        }

        throw new InvalidOperationException("the harness returned no result for the script");
    }
}
