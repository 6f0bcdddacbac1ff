using Microsoft.Extensions.AI;
using ScriptHarness.AI.Tools;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests;

/// <summary>Harnesses over Jint with functions made tools, and the sample functions the tests share.</summary>
internal static class Harnesses
{
    public static HarnessPipeline Create(IEnumerable<ToolSet> toolSets, IApprovalService? approvals = null, IScriptEngineFactory? engine = null) =>
        new(new ScriptHarnessOptions(), engine ?? new JintEngineFactory(), new ToolRegistry(toolSets.SelectMany(t => t.Tools)), approvals);

    public static HarnessPipeline Create(params AIFunction[] functions) => Create([functions.ToToolSet("app")], FixedApprovalService.ApproveAll);

    public static AIFunction Add { get; } = AIFunctionFactory.Create((int a, int b) => a + b, "add", "Adds two numbers.");

    public static AIFunction Weather { get; } = AIFunctionFactory.Create(
        (string city) => new Forecast(city, 21.5), "get-weather", "The weather in a city.");

    public static List<string> Deleted { get; } = [];

    public static AIFunction DeleteFile { get; } = new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
        (string path) => { lock (Deleted) { Deleted.Add(path); } return "deleted " + path; }, "delete_file", "Deletes a file."));

    public static async Task<ScriptOutcome> RunOneAsync(IScriptHarness harness, string script, RunOptions? options = null)
    {
        await foreach (var item in harness.RunAsync("<tool-calls>\n" + script + "\n</tool-calls>", options))
        {
            if (item is ScriptResultItem result)
            {
                return result.Outcome;
            }
        }

        throw new InvalidOperationException("the reply had no block");
    }
}

/// <summary>A typed result, for the return schema.</summary>
public sealed record Forecast(string City, double Celsius);
