using System.Text;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Chat;

/// <summary>What a model is told about code mode: the rules of a <c>&lt;tool-calls&gt;</c> block and the API's TypeScript declarations.</summary>
public static class CodeModeInstructions
{
    /// <summary>The rules, without the declarations.</summary>
    public const string Rules = """
        To use tools, write JavaScript in a <tool-calls> block; it runs in a sandbox and its result comes back to you:
        <tool-calls>
        const forecast = await tools.weather.get_forecast({ city: "Oslo" });
        return { forecast };
        </tool-calls>
        - The block is the body of an async function: `await` tool calls, `return` the JSON value you want back.
        - Blocks in one reply run in parallel; results come back in the next message inside <tool-results>, one JSON line per block (status, value or error with a code).
        - Only the globals declared below exist: no require/import, no network or files except through tools. console.log output is returned with the result.
        - A tool call may wait for a person's approval; a denied call fails with the code approval_denied.
        - When you have what you need, answer in plain text without a block.
        """;

    /// <summary>The rules followed by the declarations of <paramref name="tools"/>.</summary>
    public static string For(ToolRegistry tools) =>
        new StringBuilder(Rules.ReplaceLineEndings("\n")).Append("\n\n").Append(Declarations(tools)).ToString();

    /// <summary>The TypeScript declarations of <paramref name="tools"/> in a fenced block, introduced.</summary>
    public static string Declarations(ToolRegistry tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return "The API (TypeScript declarations):\n```ts\n" + TypeScriptDeclarations.Generate(tools) + "```\n";
    }
}
