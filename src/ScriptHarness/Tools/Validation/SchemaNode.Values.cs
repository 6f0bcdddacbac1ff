using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScriptHarness.Tools.Validation;

/// <content>The value checks: arrays, strings, numbers, and the type itself.</content>
internal sealed partial class SchemaNode
{
    // NJsonSchema's ValidateType for one type (None: the value checks alone): array, string, number, integer, boolean,
    // null, object, in that order. The value checks apply to a value of their kind whatever the expected type.
    private bool CheckValue(JsonNode? value, string? property, string path, List<SchemaError>? errors, JsonTypes expected)
    {
        var kind = JsonScalars.KindOf(value);
        if (kind == JsonValueKind.Array)
        {
            if (_checksArrays && !CheckArray((JsonArray)value!, property, path, errors) && errors is null)
            {
                return false;
            }
        }
        else if ((expected & JsonTypes.Array) != 0 && !Report(errors, SchemaErrorKind.ArrayExpected, property, path))
        {
            return false;
        }

        if (kind == JsonValueKind.String)
        {
            if (_checksStrings && !CheckString(JsonScalars.ElementOf((JsonValue)value!), property, path, errors) && errors is null)
            {
                return false;
            }
        }
        else if ((expected & JsonTypes.String) != 0 && !Report(errors, SchemaErrorKind.StringExpected, property, path))
        {
            return false;
        }

        if (kind != JsonValueKind.Number)
        {
            if ((expected & JsonTypes.Number) != 0 && !Report(errors, SchemaErrorKind.NumberExpected, property, path))
            {
                return false;
            }
        }
        else if (_checksNumbers || (expected & JsonTypes.Integer) != 0)
        {
            var number = JsonNumber.Read(JsonScalars.ElementOf((JsonValue)value!));
            if (_checksNumbers && !CheckNumber(number, property, path, errors) && errors is null)
            {
                return false;
            }

            if ((expected & JsonTypes.Integer) != 0 && !number.IsInteger && !Report(errors, SchemaErrorKind.IntegerExpected, property, path))
            {
                return false;
            }
        }

        if ((expected & JsonTypes.Integer) != 0 && kind != JsonValueKind.Number && !Report(errors, SchemaErrorKind.IntegerExpected, property, path))
        {
            return false;
        }

        if ((expected & JsonTypes.Boolean) != 0 && kind is not (JsonValueKind.True or JsonValueKind.False)
            && !Report(errors, SchemaErrorKind.BooleanExpected, property, path))
        {
            return false;
        }

        if ((expected & JsonTypes.Null) != 0 && kind != JsonValueKind.Null && !Report(errors, SchemaErrorKind.NullExpected, property, path))
        {
            return false;
        }

        return (expected & JsonTypes.Object) == 0 || kind == JsonValueKind.Object || Report(errors, SchemaErrorKind.ObjectExpected, property, path);
    }

    private bool CheckArray(JsonArray array, string? property, string path, List<SchemaError>? errors)
    {
        if (MinItems > 0 && array.Count < MinItems && !Report(errors, SchemaErrorKind.TooFewItems, property, path))
        {
            return false;
        }

        if (MaxItems > 0 && array.Count > MaxItems && !Report(errors, SchemaErrorKind.TooManyItems, property, path))
        {
            return false;
        }

        if (Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (!items.IsValid(array[i]))
                {
                    if (errors is null)
                    {
                        return false;
                    }

                    // As NJsonSchema: one error for the item, whatever is wrong inside it.
                    var index = "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    errors.Add(new SchemaError(SchemaErrorKind.ArrayItemNotValid, index, path + index));
                }
            }
        }

        return true;
    }

    private bool CheckString(JsonElement text, string? property, string path, List<SchemaError>? errors)
    {
        int length;
        if (Pattern is { } pattern)
        {
            if (!Matches(pattern, text, out length) && !Report(errors, SchemaErrorKind.PatternMismatch, property, path))
            {
                return false;
            }
        }
        else
        {
            length = JsonScalars.Utf16Length(text);
        }

        if (length < MinLength && !Report(errors, SchemaErrorKind.StringTooShort, property, path))
        {
            return false;
        }

        return !(length > MaxLength) || Report(errors, SchemaErrorKind.StringTooLong, property, path);
    }

    // Matches a short unescaped string in a stack buffer, a longer one as a string.
    private static bool Matches(Regex pattern, JsonElement text, out int length)
    {
        const int StackChars = 256;
        var content = JsonMarshal.GetRawUtf8Value(text)[1..^1]; // without the quotes
        if (content.Length > StackChars || content.Contains((byte)'\\'))
        {
            var value = text.GetString()!;
            length = value.Length;
            return pattern.IsMatch(value);
        }

        Span<char> chars = stackalloc char[StackChars]; // UTF-8 never decodes to more chars than bytes
        length = Encoding.UTF8.GetChars(content, chars);
        return pattern.IsMatch(chars[..length]);
    }

    private bool CheckNumber(JsonNumber number, string? property, string path, List<SchemaError>? errors)
    {
        if (Minimum is { } minimum && (MinimumIsExclusive ? number.CompareTo(minimum) <= 0 : number.CompareTo(minimum) < 0)
            && !Report(errors, SchemaErrorKind.NumberTooSmall, property, path))
        {
            return false;
        }

        if (Maximum is { } maximum && (MaximumIsExclusive ? number.CompareTo(maximum) >= 0 : number.CompareTo(maximum) > 0)
            && !Report(errors, SchemaErrorKind.NumberTooBig, property, path))
        {
            return false;
        }

        if (ExclusiveMinimum is { } floor && number.CompareTo(floor) <= 0 && !Report(errors, SchemaErrorKind.NumberTooSmall, property, path))
        {
            return false;
        }

        if (ExclusiveMaximum is { } ceiling && number.CompareTo(ceiling) >= 0 && !Report(errors, SchemaErrorKind.NumberTooBig, property, path))
        {
            return false;
        }

        return MultipleOf is not { } step || number.IsMultipleOf(step) || Report(errors, SchemaErrorKind.NumberNotMultipleOf, property, path);
    }
}
