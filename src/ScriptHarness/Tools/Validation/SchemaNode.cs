using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// One compiled (sub)schema. <see cref="Validate"/> makes NJsonSchema's checks for the keywords
/// <see cref="SchemaCompiler"/> accepts, in NJsonSchema's order and with its quirks (a missing <c>required</c> property
/// is reported even on a non-object; <c>maxItems: 0</c> means no limit; <c>nullable</c> lets null through), so the
/// verdict and the first errors are the ones NJsonSchema gave — but on the <see cref="JsonNode"/> itself: no JSON text,
/// no Newtonsoft tree, and nothing allocated for valid arguments.
/// </summary>
/// <remarks>
/// The compiler fills the settable properties once, then calls <see cref="Seal"/>; a node exists before its keywords
/// are read so that <c>$ref</c> cycles can point at it. It is read-only, and safe to share, from then on.
/// </remarks>
internal sealed partial class SchemaNode
{
    private SchemaProperty[] _properties = [];
    private string[] _extraRequired = [];
    private HashSet<string> _propertyNames = [];
    private bool _multiType;
    private bool _checksArrays;
    private bool _checksStrings;
    private bool _checksNumbers;
    private bool _checksMembers;

    public JsonTypes Types { get; set; }

    /// <summary>NJsonSchema's <c>IsNullable</c> as far as the compiled keywords go: null skips the type and enum checks.</summary>
    public bool Nullable { get; set; }

    public IReadOnlyList<SchemaNode>? AnyOf { get; set; }

    public SchemaNode? Not { get; set; }

    public IReadOnlyList<SchemaConstant>? Enum { get; set; }

    public SchemaConstant? Const { get; set; }

    public Regex? Pattern { get; set; }

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    public decimal? Minimum { get; set; }

    public decimal? Maximum { get; set; }

    /// <summary>Draft 4's boolean <c>exclusiveMinimum</c>: <see cref="Minimum"/> itself is not allowed.</summary>
    public bool MinimumIsExclusive { get; set; }

    public bool MaximumIsExclusive { get; set; }

    /// <summary>Draft 6's numeric <c>exclusiveMinimum</c>.</summary>
    public decimal? ExclusiveMinimum { get; set; }

    public decimal? ExclusiveMaximum { get; set; }

    public decimal? MultipleOf { get; set; }

    public SchemaNode? Items { get; set; }

    /// <summary>0 for none, as NJsonSchema reads it.</summary>
    public int MinItems { get; set; }

    /// <summary>0 for none, as NJsonSchema reads it.</summary>
    public int MaxItems { get; set; }

    public int MinProperties { get; set; }

    public int MaxProperties { get; set; }

    public IReadOnlyList<KeyValuePair<string, SchemaNode>> Properties { get; set; } = [];

    public IReadOnlyList<string> Required { get; set; } = [];

    public bool AllowAdditionalProperties { get; set; } = true;

    public SchemaNode? AdditionalProperties { get; set; }

    /// <summary>Whether every value of <see cref="Types"/> passes: no check beyond the type.</summary>
    public bool IsTypeOnly => !_checksArrays && !_checksStrings && !_checksNumbers && !_checksMembers
        && AnyOf is null && Not is null && Enum is null && Const is null;

    /// <summary>Derives what <see cref="Validate"/> needs from the keywords; called once, after they are set.</summary>
    public void Seal()
    {
        _multiType = BitOperations.PopCount((uint)Types) > 1;
        _checksArrays = MinItems > 0 || MaxItems > 0 || Items is not null;
        _checksStrings = Pattern is not null || MinLength is not null || MaxLength is not null;
        _checksNumbers = Minimum is not null || Maximum is not null || ExclusiveMinimum is not null || ExclusiveMaximum is not null
            || MultipleOf is not null;
        _propertyNames = new HashSet<string>(Properties.Select(p => p.Key), StringComparer.Ordinal);
        _properties = [.. Properties.Select(p => new SchemaProperty(p.Key, p.Value, Required.Contains(p.Key, StringComparer.Ordinal)))];
        _extraRequired = [.. Required.Where(r => !_propertyNames.Contains(r)).Distinct(StringComparer.Ordinal)];
        _checksMembers = _properties.Length > 0 || _extraRequired.Length > 0 || MinProperties > 0 || MaxProperties > 0
            || AdditionalProperties is not null || !AllowAdditionalProperties;
    }

    /// <summary>Whether <paramref name="value"/> is valid; stops at the first failure.</summary>
    public bool IsValid(JsonNode? value) => Validate(value, null, string.Empty, null);

    /// <summary>
    /// Checks <paramref name="value"/>. Without <paramref name="errors"/>, stops at the first failure; with it, adds the
    /// errors NJsonSchema reports at this level (a nested property's own errors included, an array item's or a branch's
    /// as one error) and returns whether it added none.
    /// </summary>
    /// <param name="value">The value; a C# null is JSON null.</param>
    /// <param name="property">The property the value is at, for errors; null at the top or inside an item.</param>
    /// <param name="path">The value's dotted path, for errors (only read when collecting them).</param>
    /// <param name="errors">Where errors go; null to only get the verdict.</param>
    public bool Validate(JsonNode? value, string? property, string path, List<SchemaError>? errors)
    {
        SchemaBudget.Step();
        if (value is JsonValue scalar && scalar.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
        {
            // A CLR object in a value node (JsonValue.Create(record)), built by a host: checked as the JSON it writes.
            value = JsonNode.Parse(scalar.ToJsonString());
        }

        var before = errors?.Count ?? 0;
        if (AnyOf is { } anyOf && !AnyValid(anyOf, value) && !Report(errors, SchemaErrorKind.NotAnyOf, property, path))
        {
            return false;
        }

        if (Not is { } not && not.IsValid(value) && !Report(errors, SchemaErrorKind.ExcludedSchemaValidates, property, path))
        {
            return false;
        }

        if (value is not null || !Nullable)
        {
            if (_multiType)
            {
                // NJsonSchema checks the value once per listed type and fails when every pass failed: the value must
                // be of one of the types, and meet the value checks, which do not depend on the type.
                if (!(MatchesAnyType(value) && CheckValue(value, property, path, null, JsonTypes.None))
                    && !Report(errors, SchemaErrorKind.NoTypeValidates, property, path))
                {
                    return false;
                }
            }
            else if (!CheckValue(value, property, path, errors, Types) && errors is null)
            {
                return false;
            }

            if (Enum is { } values && !AnyMatches(values, value) && !Report(errors, SchemaErrorKind.NotInEnumeration, property, path))
            {
                return false;
            }

            if (Const is { } constant && !constant.Matches(value) && !Report(errors, SchemaErrorKind.NotConstValue, property, path))
            {
                return false;
            }
        }

        if (_checksMembers && !CheckMembers(value, property, path, errors) && errors is null)
        {
            return false;
        }

        return errors is null || errors.Count == before;
    }

    // Adds the error when collecting; returns whether to go on (only when collecting).
    private static bool Report(List<SchemaError>? errors, SchemaErrorKind kind, string? property, string path)
    {
        errors?.Add(new SchemaError(kind, property, path));
        return errors is not null;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static bool AnyValid(IReadOnlyList<SchemaNode> schemas, JsonNode? value)
    {
        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i].IsValid(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMatches(IReadOnlyList<SchemaConstant> constants, JsonNode? value)
    {
        for (var i = 0; i < constants.Count; i++)
        {
            if (constants[i].Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesAnyType(JsonNode? value) => JsonScalars.KindOf(value) switch
    {
        JsonValueKind.Object => (Types & JsonTypes.Object) != 0,
        JsonValueKind.Array => (Types & JsonTypes.Array) != 0,
        JsonValueKind.String => (Types & JsonTypes.String) != 0,
        JsonValueKind.True or JsonValueKind.False => (Types & JsonTypes.Boolean) != 0,
        JsonValueKind.Null => (Types & JsonTypes.Null) != 0,
        JsonValueKind.Number => (Types & JsonTypes.Number) != 0 || ((Types & JsonTypes.Integer) != 0 && IsInteger(value!)),
        _ => false,
    };

    private static bool IsInteger(JsonNode number) => JsonNumber.Read(JsonScalars.ElementOf(number.AsValue())).IsInteger;
}
