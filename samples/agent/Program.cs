using System.ComponentModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ScriptHarness.AI.Telemetry;
using ScriptHarness.AI.Tools;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;

// Usage: agent [--approve yes|no] [--trace]
//   --approve  answers the approval request without asking (for CI); by default the terminal asks.
//   --trace    prints the OpenTelemetry spans (reply, script, nested tool calls) to the console.
var approveFlag = args.SkipWhile(a => a != "--approve").Skip(1).FirstOrDefault();
var trace = args.Contains("--trace");

// 1. The host's tools, as ordinary AIFunctions; refunds need a person's approval per call.
AIFunction[] shop =
[
    AIFunctionFactory.Create(([Description("Order id")] string id) => new Order(id, "delivered", 42.50m, "EUR"), "get_order", "Looks up an order."),
    new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
        (string id, decimal amount) => new Refund("R-7", id, amount), "refund_order", "Refunds an order (money leaves the shop).")),
];

// 2. The harness (Jint), with telemetry layers around the engine and the harness.
using var telemetry = new ScriptHarnessTelemetry();
using var tracing = trace
    ? Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddConsoleExporter().Build()
    : null;
using var pipeline = new HarnessPipeline(new ScriptHarnessOptions(), new JintEngineFactory().WithTelemetry(telemetry),
    new ToolRegistry(shop.ToToolSet("shop").Tools));

// 3. Code mode over the model: one builder call.
using var model = new ReplayChatClient(Path.Combine(AppContext.BaseDirectory, "conversation.json"));
using var agent = new ChatClientBuilder(model)
    .UseScriptHarness(pipeline.WithTelemetry(telemetry), pipeline.Tools)
    .Build();

List<ChatMessage> conversation = [new(ChatRole.User, "Please refund order A-1001 if it was delivered.")];
Console.WriteLine($"user> {conversation[0].Text}");
while (true)
{
    var updates = new List<ChatResponseUpdate>();
    var speaking = false;
    await foreach (var update in agent.GetStreamingResponseAsync(conversation))
    {
        updates.Add(update);
        if (update.Role == ChatRole.Assistant && update.Text.Length > 0)
        {
            Console.Write((speaking ? string.Empty : "assistant> ") + update.Text);
            speaking = true;
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case CodeInterpreterToolCallContent call:
                    Console.WriteLine($"\n  [script {call.CallId} runs]");
                    speaking = false;
                    break;
                case CodeInterpreterToolResultContent result:
                    Console.WriteLine($"  [result {result.CallId}] {string.Concat(result.Outputs?.OfType<TextContent>().Select(t => t.Text) ?? [])}");
                    speaking = false;
                    break;
            }
        }
    }

    if (speaking)
    {
        Console.WriteLine();
    }

    var response = updates.ToChatResponse();
    conversation.AddRange(response.Messages);
    var requests = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
    if (requests.Count == 0)
    {
        break;
    }

    // A nested call of the script waits: the request names the real tool and its arguments, not the script.
    var answers = new List<AIContent>();
    foreach (var request in requests)
    {
        var call = (FunctionCallContent)request.ToolCall;
        var arguments = string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? []);
        Console.Write($"approve {call.Name}({arguments})? [y/N] ");
        var answer = approveFlag ?? Console.ReadLine() ?? "n";
        if (approveFlag is not null)
        {
            Console.WriteLine(answer);
        }

        var approved = answer.StartsWith('y');
        answers.Add(request.CreateResponse(approved, approved ? null : "the user said no"));
    }

    conversation.Add(new ChatMessage(ChatRole.User, answers));
}

internal sealed record Order(string Id, string Status, decimal Total, string Currency);

internal sealed record Refund(string RefundId, string OrderId, decimal Amount);
