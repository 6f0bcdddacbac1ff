using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Conformance.Tools;

/// <summary>The <c>conf.*</c> tool definitions behind <see cref="ConformanceToolSet"/>.</summary>
internal static class ConformanceTools
{
    private const int MaxMilliseconds = 60_000;

    public static IEnumerable<ToolDefinition> Create(ConformanceProbe probe, TimeProvider time)
    {
        yield return new ToolDefinition(ConformanceToolSet.Record, "Record the arguments; returns {n}, the calls so far.", AnyObject(),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Record);
                return Result(new JsonObject { ["n"] = probe.Record(args) });
            });

        yield return new ToolDefinition(ConformanceToolSet.Slow, "Wait ms milliseconds, honouring cancellation.", Closed(("ms", Integer(0, MaxMilliseconds))),
            async (args, _, cancellationToken) =>
            {
                probe.Ran(ConformanceToolSet.Slow);
                var ms = args!["ms"]!.GetValue<int>();
                probe.Enter();
                var completed = false;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(ms), time, cancellationToken).ConfigureAwait(false);
                    completed = true;
                    return new JsonObject { ["ms"] = ms };
                }
                finally
                {
                    probe.Leave(completed);
                }
            });

        yield return new ToolDefinition(ConformanceToolSet.Big, "Return about kb KiB of JSON.", Closed(("kb", Integer(1, 65_536))),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Big);
                var kb = args!["kb"]!.GetValue<int>();
                var line = new string('x', 1014); // with quotes and comma, about 1 KiB per item
                return Result(new JsonObject { ["kb"] = kb, ["items"] = new JsonArray([.. Enumerable.Range(0, kb).Select(_ => JsonValue.Create(line))]) });
            });

        yield return new ToolDefinition(ConformanceToolSet.Deep, "Return objects nested depth levels deep.", Closed(("depth", Integer(1, 10_000))),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Deep);
                JsonNode node = new JsonObject { ["leaf"] = true };
                for (var i = args!["depth"]!.GetValue<int>(); i > 1; i--)
                {
                    node = new JsonObject { ["d"] = node };
                }

                return Result(node);
            });

        yield return new ToolDefinition(ConformanceToolSet.Strict, "A strict schema: name (string, at most 16 characters) and count (integer 0 to 100), nothing else.",
            Closed(("name", new JsonObject { ["type"] = "string", ["maxLength"] = 16 }), ("count", Integer(0, 100))),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Strict);
                return Result(args?.DeepClone());
            });

        yield return new ToolDefinition(ConformanceToolSet.Guarded, "Needs a person's approval.", AnyObject(),
            (_, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Guarded);
                return Result(new JsonObject { ["done"] = true });
            })
        { RequiresApproval = true };

        yield return new ToolDefinition(ConformanceToolSet.Crash, "Throws a CLR exception full of host details.", AnyObject(),
            (_, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Crash);
                throw new InvalidOperationException("secret host detail: /srv/secret/config.json in System.IO.FileStream",
                    new UnauthorizedAccessException("C:\\secret\\inner.txt"));
            });

        yield return new ToolDefinition(ConformanceToolSet.Hostile, "Returns JSON with keys that mean something to JavaScript.", AnyObject(),
            (_, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Hostile);
                return Result(JsonNode.Parse("""
                    {"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"then":"not callable",
                     "toJSON":"nope","valueOf":1,"nested":[{"__proto__":{"polluted":true}}]}
                    """));
            });

        yield return new ToolDefinition(ConformanceToolSet.Clr, "Returns JSON nodes backed by CLR values.", AnyObject(),
            (_, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Clr);
                return Result(new JsonObject
                {
                    ["when"] = JsonValue.Create(new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero)),
                    ["id"] = JsonValue.Create(new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")),
                    ["record"] = JsonValue.Create(new ClrRecord("host", 42)),
                });
            });

        yield return new ToolDefinition(ConformanceToolSet.Surrogate, "Returns text holding a lone surrogate.",
            Closed(("form", new JsonObject { ["enum"] = new JsonArray("clr", "parsed") })),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Surrogate);
                return Result(args!["form"]!.GetValue<string>() == "clr"
                    ? JsonValue.Create("a\ud800b")
                    : JsonNode.Parse("""{"s":"a\ud800b","list":["\udc00"]}"""));
            });

        yield return new ToolDefinition(ConformanceToolSet.Unserializable, "Returns a node that cannot be written as JSON.", AnyObject(),
            (_, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Unserializable);
                return Result(new JsonObject { ["type"] = JsonValue.Create(typeof(ConformanceTools)) });
            });

        yield return new ToolDefinition(ConformanceToolSet.Stubborn, "Wait ms milliseconds, ignoring cancellation.", Closed(("ms", Integer(0, MaxMilliseconds))),
            async (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Stubborn);
                var ms = args!["ms"]!.GetValue<int>();
                // Deliberately deaf to the call's token: the harness must stop waiting at the time limit anyway.
                await Task.Delay(TimeSpan.FromMilliseconds(ms), time, CancellationToken.None).ConfigureAwait(false);
                return new JsonObject { ["ms"] = ms };
            });

        yield return new ToolDefinition(ConformanceToolSet.Block, "Block the calling thread for ms milliseconds.", Closed(("ms", Integer(0, MaxMilliseconds))),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.Block);
                var ms = args!["ms"]!.GetValue<int>();
                // What synchronous I/O or a careless Thread.Sleep does to whichever thread runs the handler.
                Thread.Sleep(ms);
                return Result(new JsonObject { ["ms"] = ms });
            });

        yield return new ToolDefinition(ConformanceToolSet.Nested, "Run a reply nested levels deep on this harness; returns what the innermost returned.",
            Closed(("levels", Integer(0, 32))), (args, call, cancellationToken) => NestedAsync(probe, args!["levels"]!.GetValue<int>(), call, cancellationToken));

        yield return new ToolDefinition(ConformanceToolSet.NonFinite, "Return a number JSON cannot carry.",
            Closed(("kind", new JsonObject { ["enum"] = new JsonArray("nan", "infinity", "negative", "float", "clr") })),
            (args, _, _) =>
            {
                probe.Ran(ConformanceToolSet.NonFinite);
                return Result(args!["kind"]!.GetValue<string>() switch
                {
                    "nan" => JsonValue.Create(double.NaN),
                    "infinity" => new JsonObject { ["ok"] = 1, ["value"] = double.PositiveInfinity },
                    "negative" => new JsonArray(1, double.NegativeInfinity),
                    "float" => new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray(JsonValue.Create(float.NaN)) } },
                    _ => new JsonObject { ["record"] = JsonValue.Create(new ClrNumber(double.PositiveInfinity)) },
                });
            });
    }

    private static ValueTask<JsonNode?> Result(JsonNode? node) => ValueTask.FromResult(node);

    private static async ValueTask<JsonNode?> NestedAsync(ConformanceProbe probe, int levels, ToolCallContext call, CancellationToken cancellationToken)
    {
        probe.Ran(ConformanceToolSet.Nested);
        if (levels == 0)
        {
            return new JsonObject { ["depth"] = call.Script.NestingDepth };
        }

        var harness = probe.Harness ?? throw new InvalidOperationException("conf.nested runs only under the conformance runner, which names the harness");
        var reply = $"<tool-calls>\nreturn await tools.conf.nested({{ levels: {levels - 1} }});\n</tool-calls>";
        JsonNode? result = null;
        await foreach (var item in harness.RunAsync(reply, null, cancellationToken).ConfigureAwait(false))
        {
            if (item is ScriptResultItem { Outcome: var outcome })
            {
                result = outcome.Status == ScriptStatus.Ok ? outcome.Value?.DeepClone() : new JsonObject { ["code"] = outcome.Error!.WireCode };
            }
        }

        return result;
    }

    private static JsonObject AnyObject() => new() { ["type"] = "object" };

    private static JsonObject Integer(int minimum, int maximum) => new() { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum };

    private static JsonObject Closed(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
            required.Add(name);
        }

        return new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = required, ["additionalProperties"] = false };
    }

    /// <summary>A CLR record a careless host might hand back; it must reach scripts as plain JSON.</summary>
    internal sealed record ClrRecord(string Name, int Answer);

    /// <summary>A CLR record holding a number JSON cannot carry.</summary>
    internal sealed record ClrNumber(double Value);
}
