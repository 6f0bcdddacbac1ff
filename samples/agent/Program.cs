using System.ComponentModel;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ScriptHarness.AI.Telemetry;
using ScriptHarness.AI.Tools;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.State;
using ScriptHarness.Tools;

// Usage: agent [--approve yes|no] [--trace] [--durable]
//   --approve  answers the approval request without asking (for CI); by default the terminal asks.
//   --trace    prints the OpenTelemetry spans (reply, script, nested tool calls) to the console.
//   --durable  durable approvals: the script does not wait in memory; the answer goes to a new harness and client built
//              on the same state store, as after a restart (here an in-memory cache; many instances share a RedisCache).
var approveFlag = args.SkipWhile(a => a != "--approve").Skip(1).FirstOrDefault();
var trace = args.Contains("--trace");
var durable = args.Contains("--durable");

// 1. The host's tools, as ordinary AIFunctions; refunds need a person's approval per call.
AIFunction[] shop =
[
    AIFunctionFactory.Create(([Description("Order id")] string id) => new Order(id, "delivered", 42.50m, "EUR"), "get_order", "Looks up an order."),
    new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
        (string id, decimal amount) => new Refund("R-7", id, amount), "refund_order", "Refunds an order (money leaves the shop).")),
];

// 2. The harness (Jint), with telemetry layers around the engine and the harness; with --durable, on a state store.
using var telemetry = new ScriptHarnessTelemetry();
using var tracing = trace
    ? Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddConsoleExporter().Build()
    : null;
var store = durable ? new DistributedCacheScriptStateStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))) : null;
var recording = Path.Combine(AppContext.BaseDirectory, "conversation.json");

// 3. Code mode over the model: one builder call (in AgentHost.Start).
var host = AgentHost.Start(shop, telemetry, store, new ReplayChatClient(recording));

List<ChatMessage> conversation = [new(ChatRole.User, "Please refund order A-1001 if it was delivered.")];
Console.WriteLine($"user> {conversation[0].Text}");
while (true)
{
    var updates = new List<ChatResponseUpdate>();
    var speaking = false;
    await foreach (var update in host.Agent.GetStreamingResponseAsync(conversation))
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
    if (durable)
    {
        // Nothing of this host is needed for the answer but the store: the request's id carries the resume token.
        var replayed = host.Model.Replayed;
        host.Dispose();
        Console.WriteLine("  [host restarted: a new harness and client on the same state store take the answer]");
        host = AgentHost.Start(shop, telemetry, store, new ReplayChatClient(recording, replayed));
    }
}

host.Dispose();

internal sealed record Order(string Id, string Status, decimal Total, string Currency);

internal sealed record Refund(string RefundId, string OrderId, decimal Amount);

/// <summary>One host instance: the harness, the model and the code-mode agent over them.</summary>
internal sealed class AgentHost : IDisposable
{
    private AgentHost(HarnessPipeline pipeline, ReplayChatClient model, IChatClient agent)
    {
        Pipeline = pipeline;
        Model = model;
        Agent = agent;
    }

    public HarnessPipeline Pipeline { get; }

    public ReplayChatClient Model { get; }

    public IChatClient Agent { get; }

    public static AgentHost Start(AIFunction[] shop, ScriptHarnessTelemetry telemetry, IScriptStateStore? store, ReplayChatClient model)
    {
        var pipeline = new HarnessPipeline(new ScriptHarnessOptions { DurableApprovals = store is not null }, new JintEngineFactory().WithTelemetry(telemetry),
            new ToolRegistry(shop.ToToolSet("shop").Tools), stateStore: store);
        var agent = new ChatClientBuilder(model)
            .UseScriptHarness(pipeline.WithTelemetry(telemetry), pipeline.Tools)
            .Build();
        return new AgentHost(pipeline, model, agent);
    }

    public void Dispose()
    {
        Agent.Dispose();
        Model.Dispose();
        Pipeline.Dispose();
    }
}
