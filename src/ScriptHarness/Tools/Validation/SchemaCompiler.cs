using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// Compiles a tool's arguments schema into a tree of <see cref="SchemaNode"/> checks, for the subset of JSON Schema tool
/// schemas use: <c>type</c> (one or several), <c>properties</c>, <c>required</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>enum</c>, <c>const</c>, the numeric bounds, <c>multipleOf</c>, the length and count bounds,
/// <c>pattern</c>, <c>nullable</c>, <c>anyOf</c>, <c>not</c> and bare <c>$ref</c>s to the root's definitions. Anything
/// else, or a keyword of an unexpected shape, makes it give up (null): such a schema stays with NJsonSchema, whose
/// reading of it (say, of <c>oneOf</c> beside <c>nullable</c>) we do not reproduce.
/// </summary>
internal sealed class SchemaCompiler
{
    // Keywords that never change a verdict.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "description", "title", "default", "examples", "example", "$schema", "$comment", "readOnly", "writeOnly", "deprecated",
    };

    // The formats NJsonSchema checks; it ignores any other (int32, password, …), and so do we.
    private static readonly HashSet<string> CheckedFormats = new(StringComparer.Ordinal)
    {
        "date-time", "date", "email", "guid", "hostname", "ipv4", "ipv6", "time", "time-span", "uri", "byte", "base64", "uuid",
    };

    private readonly JsonObject _root;
    private readonly Dictionary<string, SchemaNode> _definitions = new(StringComparer.Ordinal);

    private SchemaCompiler(JsonObject root) => _root = root;

    /// <summary>The compiled schema, or null when it uses anything outside the compiled subset.</summary>
    public static SchemaNode? TryCompile(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        JsonObject root;
        try
        {
            // Read back from its text, as NJsonSchema read it: every value then has its JSON text behind it.
            root = JsonNode.Parse(schema.ToJsonString())!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            return null; // NJsonSchema's load reports it, as before
        }

        return new SchemaCompiler(root).Compile(root, isRoot: true);
    }

    private SchemaNode? Compile(JsonNode? schema, bool isRoot = false)
    {
        if (schema is not JsonObject keywords)
        {
            return null; // boolean schemas
        }

        if (keywords.TryGetPropertyValue("$ref", out var reference))
        {
            return IsBareReference(keywords, isRoot) ? Resolve(reference, []) : null;
        }

        var node = new SchemaNode();
        return Fill(node, keywords, isRoot) ? node : null;
    }

    // NJsonSchema follows a $ref and drops what stands beside it; only a $ref with nothing beside it means the same to both.
    private static bool IsBareReference(JsonObject keywords, bool isRoot) => keywords.All(k =>
        k.Key == "$ref" || Annotations.Contains(k.Key) || (isRoot && k.Key is "definitions" or "$defs" or "$id" or "id"));

    private SchemaNode? Resolve(JsonNode? reference, HashSet<string> following)
    {
        if (reference is not JsonValue value || !value.TryGetValue<string>(out var pointer))
        {
            return null;
        }

        if (_definitions.TryGetValue(pointer, out var known))
        {
            return known;
        }

        if (!following.Add(pointer) || Definition(pointer) is not { } target)
        {
            return null; // a loop of bare references, or a reference we do not resolve
        }

        if (target.TryGetPropertyValue("$ref", out var next))
        {
            return IsBareReference(target, isRoot: false) && Resolve(next, following) is { } aliased ? _definitions[pointer] = aliased : null;
        }

        // Registered before it is filled, so that a reference back to it (a recursive type) finds it.
        var node = new SchemaNode();
        _definitions[pointer] = node;
        return Fill(node, target, isRoot: false) ? node : null;
    }

    // "#/definitions/Name" or "#/$defs/Name" in the root schema.
    private JsonObject? Definition(string pointer)
    {
        foreach (var section in (ReadOnlySpan<string>)["definitions", "$defs"])
        {
            var prefix = "#/" + section + "/";
            if (pointer.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = pointer[prefix.Length..];
                return name.AsSpan().IndexOfAny('/', '~', '%') < 0 && _root[section] is JsonObject definitions
                    ? definitions[name] as JsonObject
                    : null;
            }
        }

        return null;
    }

    private bool Fill(SchemaNode node, JsonObject keywords, bool isRoot)
    {
        var nullable = false;
        foreach (var (keyword, value) in keywords)
        {
            if (!Read(node, keyword, value, isRoot, ref nullable))
            {
                return false;
            }
        }

        node.Nullable = nullable || (node.Types & JsonTypes.Null) != 0 || node.Enum?.Any(c => c.IsNull) == true;
        node.Seal();
        return true;
    }

    // Sets one keyword on the node; false when it is outside the subset or not of the expected shape.
    private bool Read(SchemaNode node, string keyword, JsonNode? value, bool isRoot, ref bool nullable)
    {
        switch (keyword)
        {
            case "type" when TryReadTypes(value, out var types):
                node.Types = types;
                return true;
            case "nullable" or "x-nullable" when TryRead(value, out bool isNullable):
                nullable |= isNullable;
                return true;
            case "properties" when TryCompileProperties(value, out var properties):
                node.Properties = properties;
                return true;
            case "required" when TryReadNames(value, out var required):
                node.Required = required;
                return true;
            case "additionalProperties" when TryRead(value, out bool allowed):
                node.AllowAdditionalProperties = allowed;
                return true;
            case "additionalProperties" when Compile(value) is { } extra:
                node.AdditionalProperties = extra;
                return true;
            case "items" when Compile(value) is { } items:
                node.Items = items;
                return true;
            case "enum" when TryReadConstants(value, out var constants):
                node.Enum = constants.Count > 0 ? constants : null; // NJsonSchema ignores an empty enum
                return true;
            case "const" when SchemaConstant.TryCreate(value) is { } constant:
                node.Const = constant;
                return true;
            case "minimum" when TryRead(value, out decimal minimum):
                node.Minimum = minimum;
                return true;
            case "maximum" when TryRead(value, out decimal maximum):
                node.Maximum = maximum;
                return true;
            case "exclusiveMinimum" when TryRead(value, out bool exclusive):
                node.MinimumIsExclusive = exclusive;
                return true;
            case "exclusiveMinimum" when TryRead(value, out decimal floor):
                node.ExclusiveMinimum = floor;
                return true;
            case "exclusiveMaximum" when TryRead(value, out bool exclusive):
                node.MaximumIsExclusive = exclusive;
                return true;
            case "exclusiveMaximum" when TryRead(value, out decimal ceiling):
                node.ExclusiveMaximum = ceiling;
                return true;
            case "multipleOf" when TryRead(value, out decimal step) && step > 0:
                node.MultipleOf = step;
                return true;
            case "minLength" when TryReadCount(value, out var count):
                node.MinLength = count;
                return true;
            case "maxLength" when TryReadCount(value, out var count):
                node.MaxLength = count;
                return true;
            case "minItems" when TryReadCount(value, out var count):
                node.MinItems = count;
                return true;
            case "maxItems" when TryReadCount(value, out var count):
                node.MaxItems = count;
                return true;
            case "minProperties" when TryReadCount(value, out var count):
                node.MinProperties = count;
                return true;
            case "maxProperties" when TryReadCount(value, out var count):
                node.MaxProperties = count;
                return true;
            case "pattern" when TryCompilePattern(value, out var pattern):
                node.Pattern = pattern;
                return true;
            case "format":
                return TryRead(value, out string? format) && !CheckedFormats.Contains(format);
            case "anyOf" when TryCompileAll(value, out var branches) && branches.Count > 1:
                // A single branch is a reference to NJsonSchema, with its own reading of null: not compiled.
                node.AnyOf = branches;
                return true;
            case "not" when Compile(value) is { } excluded:
                node.Not = excluded;
                return true;
            case "uniqueItems":
                return TryRead(value, out bool unique) && !unique;
            case "definitions" or "$defs":
                return value is JsonObject; // compiled when referenced
            case "$id" or "id":
                return isRoot && TryRead(value, out string? _);
            default:
                // Annotations and extensions; "x-nullable" and the rest of the subset only get here in a wrong shape.
                return Annotations.Contains(keyword) || (keyword.StartsWith("x-", StringComparison.Ordinal) && keyword != "x-nullable");
        }
    }

    private static bool TryReadTypes(JsonNode? value, out JsonTypes types)
    {
        types = JsonTypes.None;
        if (value is JsonArray list)
        {
            foreach (var item in list)
            {
                if (!TryRead(item, out string? name) || TypeNamed(name) is not { } type)
                {
                    return false;
                }

                types |= type;
            }

            return list.Count > 0;
        }

        if (TryRead(value, out string? single) && TypeNamed(single) is { } one)
        {
            types = one;
            return true;
        }

        return false;
    }

    private static JsonTypes? TypeNamed(string name) => name switch
    {
        "array" => JsonTypes.Array,
        "boolean" => JsonTypes.Boolean,
        "integer" => JsonTypes.Integer,
        "null" => JsonTypes.Null,
        "number" => JsonTypes.Number,
        "object" => JsonTypes.Object,
        "string" => JsonTypes.String,
        _ => null,
    };

    private bool TryCompileProperties(JsonNode? value, out IReadOnlyList<KeyValuePair<string, SchemaNode>> properties)
    {
        properties = [];
        if (value is not JsonObject declared)
        {
            return false;
        }

        var list = new List<KeyValuePair<string, SchemaNode>>(declared.Count);
        foreach (var (name, schema) in declared)
        {
            if (Compile(schema) is not { } node)
            {
                return false;
            }

            list.Add(new(name, node));
        }

        properties = list;
        return true;
    }

    private bool TryCompileAll(JsonNode? value, out IReadOnlyList<SchemaNode> nodes)
    {
        nodes = [];
        if (value is not JsonArray schemas)
        {
            return false;
        }

        var list = new List<SchemaNode>(schemas.Count);
        foreach (var schema in schemas)
        {
            if (Compile(schema) is not { } node)
            {
                return false;
            }

            list.Add(node);
        }

        nodes = list;
        return true;
    }

    private static bool TryReadNames(JsonNode? value, out IReadOnlyList<string> names)
    {
        names = [];
        if (value is not JsonArray list)
        {
            return false;
        }

        var read = new List<string>(list.Count);
        foreach (var item in list)
        {
            if (!TryRead(item, out string? name))
            {
                return false;
            }

            read.Add(name);
        }

        names = read;
        return true;
    }

    private static bool TryReadConstants(JsonNode? value, out IReadOnlyList<SchemaConstant> constants)
    {
        constants = [];
        if (value is not JsonArray list)
        {
            return false;
        }

        var read = new List<SchemaConstant>(list.Count);
        foreach (var item in list)
        {
            if (SchemaConstant.TryCreate(item) is not { } constant)
            {
                return false;
            }

            read.Add(constant);
        }

        constants = read;
        return true;
    }

    /// <summary>How long one <c>pattern</c> check may take before the arguments are refused.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private static bool TryCompilePattern(JsonNode? value, out Regex? pattern)
    {
        pattern = null;
        if (!TryRead(value, out string? text))
        {
            return false;
        }

        if (text.Length == 0)
        {
            return true; // NJsonSchema skips an empty pattern
        }

        try
        {
            // As NJsonSchema's Regex.IsMatch(value, pattern), default options, but with a match timeout: the input is
            // the script's, and the check runs on its sandbox thread, where the script's own deadline cannot reach.
            pattern = new Regex(text, RegexOptions.None, PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // NJsonSchema fails on it when a string reaches it; so it still does
        }
    }

    private static bool TryReadCount(JsonNode? value, out int count)
    {
        count = 0;
        return value is JsonValue number && number.GetValueKind() == JsonValueKind.Number
            && number.GetValue<JsonElement>().TryGetInt32(out count) && count >= 0;
    }

    private static bool TryRead(JsonNode? value, out decimal number)
    {
        number = 0;
        return value is JsonValue json && json.GetValueKind() == JsonValueKind.Number && json.GetValue<JsonElement>().TryGetDecimal(out number);
    }

    private static bool TryRead(JsonNode? value, out bool flag)
    {
        flag = value?.GetValueKind() == JsonValueKind.True;
        return value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
    }

    private static bool TryRead(JsonNode? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        text = null;
        return value is JsonValue json && json.GetValueKind() == JsonValueKind.String && json.TryGetValue(out text);
    }
}
