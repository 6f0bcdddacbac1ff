using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <content>The object checks: properties, required, property counts, additional properties.</content>
internal sealed partial class SchemaNode
{
    // NJsonSchema's ValidateProperties, which runs on any value: on a non-object, every required property is missing
    // (unless the type allows null).
    private bool CheckMembers(JsonNode? value, string? property, string path, List<SchemaError>? errors)
    {
        var obj = value as JsonObject;
        if (obj is null && (Types & JsonTypes.Null) != 0)
        {
            return true;
        }

        foreach (var declared in _properties)
        {
            if (obj is not null && obj.TryGetPropertyValue(declared.Name, out var member))
            {
                if (member is null && declared.Schema.Nullable)
                {
                    continue;
                }

                // A property's own errors are this level's errors, at the property's path.
                if (!declared.Schema.Validate(member, declared.Name, errors is null ? string.Empty : Join(path, declared.Name), errors) && errors is null)
                {
                    return false;
                }
            }
            else if (declared.Required && !Report(errors, SchemaErrorKind.PropertyRequired, declared.Name, errors is null ? string.Empty : Join(path, declared.Name)))
            {
                return false;
            }
        }

        foreach (var name in _extraRequired)
        {
            if (obj?.ContainsKey(name) != true && !Report(errors, SchemaErrorKind.PropertyRequired, name, errors is null ? string.Empty : Join(path, name)))
            {
                return false;
            }
        }

        return obj is null || CheckObject(obj, property, path, errors);
    }

    private bool CheckObject(JsonObject obj, string? property, string path, List<SchemaError>? errors)
    {
        var count = obj.Count;
        if (MaxProperties > 0 && count > MaxProperties && !Report(errors, SchemaErrorKind.TooManyProperties, property, path))
        {
            return false;
        }

        if (MinProperties > 0 && count < MinProperties && !Report(errors, SchemaErrorKind.TooFewProperties, property, path))
        {
            return false;
        }

        if (AllowAdditionalProperties && AdditionalProperties is null)
        {
            return true;
        }

        for (var i = 0; i < count; i++)
        {
            var (name, member) = obj.GetAt(i);
            if (_propertyNames.Contains(name))
            {
                continue;
            }

            var kind = AdditionalProperties is { } extra
                ? extra.IsValid(member) ? (SchemaErrorKind?)null : SchemaErrorKind.AdditionalPropertiesNotValid
                : SchemaErrorKind.NoAdditionalPropertiesAllowed;
            if (kind is { } wrong && !Report(errors, wrong, name, errors is null ? string.Empty : Join(path, name)))
            {
                return false;
            }
        }

        return true;
    }
}
