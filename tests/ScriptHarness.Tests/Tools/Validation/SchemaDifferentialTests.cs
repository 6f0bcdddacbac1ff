using System.Text.Json.Nodes;
using NJsonSchema;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>
/// The compiled validator against NJsonSchema (the validator it replaces on the hot path): for each schema × arguments,
/// the same verdict and the same message (paths, kinds, order of the first three errors).
/// </summary>
public sealed class SchemaDifferentialTests
{
    private const string Obj = """{"type":"object","properties":""";

    public static TheoryData<string, string> Cases() => new()
    {
        // Any object, as test.echo: only the type is checked.
        { """{"type":"object","additionalProperties":true,"description":"any"}""", """{"i":1}""" },
        { """{"type":"object"}""", "{}" },
        { """{"type":"object"}""", "[]" },
        { """{"type":"object"}""", "null" },
        { """{"type":"object"}""", "\"text\"" },
        { "{}", """{"a":[1,{"b":null}]}""" },
        { "{}", "3" },

        // Required, missing and present; wrong types.
        { Obj + """{"path":{"type":"string"}},"required":["path"]}""", """{"path":"a"}""" },
        { Obj + """{"path":{"type":"string"}},"required":["path"]}""", "{}" },
        { Obj + """{"path":{"type":"string"}},"required":["path"]}""", """{"path":3}""" },
        { Obj + """{"path":{"type":"string"}},"required":["path"]}""", """{"path":null}""" },
        { Obj + """{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"boolean"},"d":{"type":"number"}},"required":["a","b","c","d"]}""", "{}" },
        { Obj + """{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"boolean"},"d":{"type":"number"}}}""", """{"a":1,"b":"x","c":0,"d":"1"}""" },
        { """{"type":"object","required":["x","y"]}""", """{"x":1}""" },
        { """{"required":["x"]}""", "\"not an object\"" },
        { """{"type":["object","null"],"required":["x"]}""", "null" },

        // Integers: the JSON text decides (1.0 and 1e2 are not integers to NJsonSchema).
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":1}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":-0}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":1.0}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":1e2}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":1.5}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":"1"}""" },
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":9223372036854775807}""" },
        { Obj + """{"n":{"type":"number"}}}""", """{"n":1}""" },
        { Obj + """{"n":{"type":"number"}}}""", """{"n":true}""" },

        // Bounds, inclusive and exclusive (draft 4 booleans and draft 6 numbers), decimals and big numbers.
        { Obj + """{"n":{"type":"integer","minimum":0,"maximum":60000}}}""", """{"n":0}""" },
        { Obj + """{"n":{"type":"integer","minimum":0,"maximum":60000}}}""", """{"n":-1}""" },
        { Obj + """{"n":{"type":"integer","minimum":0,"maximum":60000}}}""", """{"n":60001}""" },
        { Obj + """{"n":{"type":"integer","minimum":0,"maximum":60000}}}""", """{"n":60000.5}""" },
        { Obj + """{"n":{"type":"number","minimum":0.1}}}""", """{"n":0.1}""" },
        { Obj + """{"n":{"type":"number","maximum":0.3}}}""", """{"n":0.30000000000000004}""" },
        { Obj + """{"n":{"type":"number","maximum":0.3}}}""", """{"n":0.3000001}""" },
        { Obj + """{"n":{"minimum":3,"exclusiveMinimum":true}}}""", """{"n":3}""" },
        { Obj + """{"n":{"maximum":3,"exclusiveMaximum":true}}}""", """{"n":2.999}""" },
        { Obj + """{"n":{"exclusiveMinimum":3}}}""", """{"n":3}""" },
        { Obj + """{"n":{"exclusiveMaximum":3}}}""", """{"n":3.0001}""" },
        { Obj + """{"n":{"type":"number","maximum":10}}}""", """{"n":1e400}""" },
        { Obj + """{"n":{"type":"number","minimum":-10}}}""", """{"n":-1e300}""" },
        { Obj + """{"n":{"type":"number","maximum":1e20}}}""", """{"n":1e21}""" },
        { Obj + """{"n":{"type":"number","multipleOf":0.5}}}""", """{"n":0.75}""" },
        { Obj + """{"n":{"type":"number","multipleOf":0.5}}}""", """{"n":1.5}""" },
        { Obj + """{"n":{"type":"integer","multipleOf":3}}}""", """{"n":10}""" },
        { Obj + """{"n":{"minimum":5}}}""", """{"n":"3"}""" },

        // Strings: UTF-16 code units as NJsonSchema counts them, escapes, patterns.
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"ab"}""" },
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"abc"}""" },
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"é!"}""" },
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"😀"}""" },
        { Obj + """{"s":{"type":"string","maxLength":3}}}""", """{"s":"😀😀"}""" },
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"\u00e9\n"}""" },
        { Obj + """{"s":{"type":"string","maxLength":2}}}""", """{"s":"\ud83d\ude00x"}""" },
        { Obj + """{"s":{"type":"string","minLength":1}}}""", """{"s":""}""" },
        { Obj + """{"s":{"type":"string","minLength":2,"maxLength":2}}}""", """{"s":"中文"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^a+$"}}}""", """{"s":"aaa"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^a+$"}}}""", """{"s":"b"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^a+$","minLength":5}}}""", """{"s":"b"}""" },
        { Obj + """{"s":{"type":"string","pattern":"\\d"}}}""", """{"s":"x1y"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^a+$"}}}""", """{"s":"a\u0061\u0061"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^.$","maxLength":1}}}""", """{"s":"😀"}""" },
        { Obj + """{"s":{"type":"string","pattern":"^é+$","maxLength":299}}}""", "{\"s\":\"" + new string('é', 300) + "\"}" },
        { Obj + """{"s":{"type":"string","pattern":"^a+$","maxLength":300}}}""", "{\"s\":\"" + new string('a', 300) + "\"}" },
        { Obj + """{"s":{"type":"string","pattern":""}}}""", """{"s":"anything"}""" },
        { Obj + """{"s":{"type":"string","format":"int32"}}}""", """{"s":"not a number"}""" },
        { Obj + """{"s":{"maxLength":1}}}""", """{"s":12345}""" },

        // Enums and nullability.
        { Obj + """{"m":{"type":"string","enum":["text","regex"]}}}""", """{"m":"regex"}""" },
        { Obj + """{"m":{"type":"string","enum":["text","regex"]}}}""", """{"m":"glob"}""" },
        { Obj + """{"m":{"type":"string","enum":["text","regex"]}}}""", """{"m":null}""" },
        { Obj + """{"m":{"enum":["x",null]}}}""", """{"m":null}""" },
        { Obj + """{"m":{"type":"string","enum":["x",null]}}}""", """{"m":null}""" },
        { Obj + """{"m":{"enum":[1,2,3.5]}}}""", """{"m":2}""" },
        { Obj + """{"m":{"enum":[1,2,3.5]}}}""", """{"m":1.0}""" },
        { Obj + """{"m":{"enum":[1,2,3.5]}}}""", """{"m":3.5}""" },
        { Obj + """{"m":{"enum":[1,2,3.5]}}}""", """{"m":4}""" },
        { Obj + """{"m":{"enum":[true]}}}""", """{"m":false}""" },
        { Obj + """{"m":{"enum":[]}}}""", """{"m":"anything"}""" },
        { Obj + """{"a":{"type":"string","nullable":true}}}""", """{"a":null}""" },
        { Obj + """{"a":{"type":"string","x-nullable":true}}}""", """{"a":null}""" },
        { Obj + """{"a":{"type":"string","nullable":false}}}""", """{"a":null}""" },
        { Obj + """{"a":{"type":["string","null"]}}}""", """{"a":null}""" },
        { Obj + """{"a":{"type":["string","null"]}}}""", """{"a":"x"}""" },
        { Obj + """{"a":{"type":["string","null"]}}}""", """{"a":1}""" },
        { Obj + """{"a":{"type":["string","null"],"minLength":3}}}""", """{"a":"x"}""" },
        { Obj + """{"a":{"type":["integer","string"]}}}""", """{"a":1.5}""" },
        { Obj + """{"a":{"type":["integer","number"]}}}""", """{"a":1.5}""" },
        { Obj + """{"a":{"type":["integer","string"],"minimum":5}}}""", """{"a":3}""" },
        { Obj + """{"a":{"type":"null"}}}""", """{"a":null}""" },
        { Obj + """{"a":{"type":"null"}}}""", """{"a":0}""" },

        // Arrays.
        { Obj + """{"t":{"type":"array","items":{"type":"string"}}}}""", """{"t":["x","y"]}""" },
        { Obj + """{"t":{"type":"array","items":{"type":"string"}}}}""", """{"t":["x",2,null,"y",false]}""" },
        { Obj + """{"t":{"type":"array","items":{"type":"string"}}}}""", """{"t":"x"}""" },
        { Obj + """{"t":{"type":"array","minItems":2}}}""", """{"t":[1]}""" },
        { Obj + """{"t":{"type":"array","maxItems":2}}}""", """{"t":[1,2,3]}""" },
        { Obj + """{"t":{"type":"array","maxItems":0}}}""", """{"t":[1]}""" },
        { Obj + """{"t":{"type":"array","uniqueItems":false}}}""", """{"t":[1,1]}""" },
        { Obj + """{"t":{"type":"array","items":{"type":"array","items":{"type":"integer"}}}}}""", """{"t":[[1],[2,"x"]]}""" },
        { Obj + """{"t":{"type":"array","items":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}}""", """{"t":[{"q":"a"},{"q":1},{}]}""" },
        { """{"items":{"type":"string"}}""", """{"x":1}""" },
        { """{"properties":{"x":{"type":"string"}}}""", "[1]" },

        // Nested objects and additional properties.
        { Obj + """{"a":{"type":"object","properties":{"b":{"type":"integer"}}}}}""", """{"a":{"b":1}}""" },
        { Obj + """{"a":{"type":"object","properties":{"b":{"type":"integer"}}}}}""", """{"a":{"b":1.0}}""" },
        { Obj + """{"a":{"type":"object","properties":{"b":{"type":"object","properties":{"c":{"type":"string"}},"required":["c"]}}}}}""", """{"a":{"b":{}}}""" },
        { Obj + """{"p":{"type":"string"}},"required":["p"],"additionalProperties":false}""", """{"p":"a"}""" },
        { Obj + """{"p":{"type":"string"}},"required":["p"],"additionalProperties":false}""", """{"p":"a","extra":true}""" },
        { Obj + """{"p":{"type":"string"}},"required":["p"],"additionalProperties":false}""", """{"x":1,"y":2,"z":3,"w":4}""" },
        { Obj + """{"p":{"type":"string"}},"required":["p"],"additionalProperties":false}""", "[]" },
        { Obj + """{}, "additionalProperties":false}""", """{"reset":true}""" },
        { Obj + """{"a":{"type":"object","additionalProperties":false}}}""", """{"a":{"x":1}}""" },
        { """{"type":"object","additionalProperties":{"type":"string"}}""", """{"a":1,"b":"x"}""" },
        { """{"type":"object","additionalProperties":{}}""", """{"a":1,"b":"x"}""" },
        { """{"type":"object","minProperties":2}""", """{"a":1}""" },
        { """{"type":"object","maxProperties":1}""", """{"a":1,"b":2}""" },
        { Obj + """{"a b":{"type":"string"},"c.d":{"type":"string"}}}""", """{"a b":1,"c.d":2}""" },

        // Combinators and references.
        { """{"anyOf":[{"type":"string"},{"type":"null"}]}""", "1" },
        { Obj + """{"a":{"anyOf":[{"type":"string","maxLength":2},{"type":"integer"}]}}}""", """{"a":"abc"}""" },
        { Obj + """{"a":{"anyOf":[{"type":"string","maxLength":2},{"type":"integer"}]}}}""", """{"a":7}""" },
        { Obj + """{"a":{"anyOf":[{"type":"string"},{"type":"null"}]}}}""", """{"a":null}""" },
        { Obj + """{"a":{"not":{"type":"string"}}}}""", """{"a":"x"}""" },
        { Obj + """{"a":{"not":{"type":"string"}}}}""", """{"a":1}""" },
        { Obj + """{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"string"}}}""", """{"a":1}""" },
        { Obj + """{"a":{"$ref":"#/$defs/A"}},"$defs":{"A":{"type":"string","nullable":true}}}""", """{"a":null}""" },
        { Obj + """{"a":{"$ref":"#/definitions/B"}},"definitions":{"B":{"$ref":"#/definitions/C"},"C":{"type":"integer"}}}""", """{"a":"x"}""" },
        { """{"$ref":"#/definitions/A","definitions":{"A":{"type":"object","required":["q"]}}}""", "{}" },
        { Obj + """{"a":{"$ref":"#/definitions/A","description":"d"}},"definitions":{"A":{"type":"string"}}}""", """{"a":1}""" },
        {
            Obj + """{"tree":{"$ref":"#/definitions/Node"}},"definitions":{"Node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/definitions/Node"}}},"required":["v"]}}}""",
            """{"tree":{"v":1,"kids":[{"v":2,"kids":[]},{"v":3,"kids":[{"kids":[]}]}]}}"""
        },
        {
            Obj + """{"tree":{"$ref":"#/definitions/Node"}},"definitions":{"Node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/definitions/Node"}}},"required":["v"]}}}""",
            """{"tree":{"v":1,"kids":[{"v":2,"kids":[{"v":4}]}]}}"""
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiled_AgreesWithNJsonSchema(string schemaJson, string argumentsJson)
    {
        var schema = JsonNode.Parse(schemaJson)!.AsObject();
        var arguments = JsonNode.Parse(argumentsJson);

        var compiled = SchemaCompiler.TryCompile(schema);
        Assert.NotNull(compiled);
        var expected = NJsonSchemaMessage(schemaJson, argumentsJson);

        Assert.Equal(expected is null, compiled.IsValid(arguments));
        Assert.Equal(expected, CompiledMessage(compiled, arguments));
    }

    public static TheoryData<string, string, bool> NJsonSchemaFailures() => new()
    {
        // NJsonSchema threw on these (every call a harness error); the compiled validator gives the schema's verdict.
        { Obj + """{"n":{"type":"integer"}}}""", """{"n":123456789012345678901234567890}""", true },
        { Obj + """{"n":{"type":"integer","maximum":10}}}""", """{"n":123456789012345678901}""", false },
        { Obj + """{"n":{"type":"integer","minimum":10}}}""", """{"n":123456789012345678901}""", true },
        { Obj + """{"a":{"$ref":"#/$defs/B"}},"$defs":{"B":{"$ref":"#/$defs/C"},"C":{"type":"integer"}}}""", """{"a":"x"}""", false },
        { Obj + """{"a":{"$ref":"#/$defs/B"}},"$defs":{"B":{"type":"object","properties":{"k":{"$ref":"#/$defs/B"}}}}}""", """{"a":{"k":{"k":1}}}""", false },
        { Obj + """{"a":{"$ref":"#/$defs/B"}},"$defs":{"B":{"type":"object","properties":{"k":{"$ref":"#/$defs/B"}}}}}""", """{"a":{"k":{"k":{}}}}""", true },
    };

    [Theory]
    [MemberData(nameof(NJsonSchemaFailures))]
    public void Compiled_WhereNJsonSchemaThrew_GivesTheSchemasVerdict(string schemaJson, string argumentsJson, bool valid)
    {
        Assert.ThrowsAny<Exception>(() => NJsonSchemaMessage(schemaJson, argumentsJson));

        var compiled = SchemaCompiler.TryCompile(JsonNode.Parse(schemaJson)!.AsObject());

        Assert.NotNull(compiled);
        Assert.Equal(valid, compiled.IsValid(JsonNode.Parse(argumentsJson)));
        Assert.Equal(valid, CompiledMessage(compiled, JsonNode.Parse(argumentsJson)) is null);
    }

    public static TheoryData<string, JsonNode?> BuiltInCode() => new()
    {
        // Arguments a host builds in code rather than parses: NJsonSchema saw the JSON text they write.
        { """{"type":"integer"}""", JsonValue.Create(1.0) },
        { """{"type":"integer"}""", JsonValue.Create(1.5) },
        { """{"type":"integer"}""", JsonValue.Create(1.0m) },
        { """{"type":"integer"}""", JsonValue.Create(1e15) },
        { """{"type":"integer"}""", JsonValue.Create(long.MaxValue) },
        { """{"type":"integer","maximum":10}""", JsonValue.Create(11) },
        { """{"type":"number","minimum":0.5}""", JsonValue.Create(0.5f) },
        { """{"type":"string","maxLength":1}""", JsonValue.Create("😀") },
        { """{"type":"string","enum":["a"]}""", JsonValue.Create("a") },
        { """{"type":"string","enum":["a"]}""", JsonValue.Create('a') },
        { """{"type":"boolean"}""", JsonValue.Create(true) },
        { Obj + """{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false}""", new JsonObject { ["a"] = 2 } },
        { Obj + """{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false}""", new JsonObject { ["a"] = 2.5, ["b"] = "x" } },
        { Obj + """{"X":{"type":"integer"}},"required":["X","Z"]}""", JsonValue.Create(new Point(1, 2)) },
        { Obj + """{"p":{"type":"object","properties":{"X":{"type":"integer"}},"required":["X"]}}}""", new JsonObject { ["p"] = JsonValue.Create(new Point(1, 2)) } },
        { """{"type":"object","additionalProperties":{"type":"object","required":["Y"]}}""", new JsonObject { ["p"] = JsonValue.Create(new Point(1, 2)) } },
        { """{"type":"array","items":{"type":"integer"},"maxItems":2}""", JsonValue.Create(new[] { 1, 2, 3 }) },
    };

    [Theory]
    [MemberData(nameof(BuiltInCode))]
    public void Compiled_OnNodesBuiltInCode_AgreesWithNJsonSchemaOnTheirText(string schemaJson, JsonNode? arguments)
    {
        var compiled = SchemaCompiler.TryCompile(JsonNode.Parse(schemaJson)!.AsObject());
        Assert.NotNull(compiled);

        var expected = NJsonSchemaMessage(schemaJson, arguments?.ToJsonString() ?? "null");

        Assert.Equal(expected is null, compiled.IsValid(arguments));
        Assert.Equal(expected, CompiledMessage(compiled, arguments));
    }

    internal static string? CompiledMessage(SchemaNode compiled, JsonNode? arguments)
    {
        var errors = new List<SchemaError>();
        var valid = compiled.Validate(arguments, null, string.Empty, errors);
        Assert.Equal(valid, errors.Count == 0); // the collecting pass and its verdict agree
        return valid ? null : ValidationMessage.Create("x.run", errors).Message;
    }

    internal static string? NJsonSchemaMessage(string schemaJson, string argumentsJson)
    {
        var schema = JsonSchema.FromJsonAsync(schemaJson).GetAwaiter().GetResult();
        var errors = schema.Validate(argumentsJson); // what the harness called before the compiled validator
        return errors.Count == 0 ? null : ValidationMessage.Create("x.run", errors.Select(e => (e.Path, e.Property, e.Kind.ToString()))).Message;
    }

    /// <summary>A CLR value a host might wrap in a <see cref="JsonValue"/>.</summary>
    public sealed record Point(int X, int Y);
}
