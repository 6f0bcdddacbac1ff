using System.Runtime.InteropServices;
using System.Text.Json;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// A JSON number read the way NJsonSchema's validator saw it once Newtonsoft had parsed the argument text: an integer
/// exactly when its text has no fraction or exponent (<c>1.0</c> is not one), compared as a <see cref="decimal"/>
/// (a fraction converted from its <see cref="double"/>) and as a <see cref="double"/> only past decimal's range.
/// </summary>
internal readonly struct JsonNumber
{
    // decimal's range as a double, a hair inside it so that the conversion never overflows.
    private const double DecimalLimit = 7.9e28;

    private JsonNumber(bool isInteger, decimal? asDecimal, double asDouble)
    {
        IsInteger = isInteger;
        Decimal = asDecimal;
        Double = asDouble;
    }

    /// <summary>Whether the number's JSON text is an integer (no <c>.</c>, <c>e</c> or <c>E</c>).</summary>
    public bool IsInteger { get; }

    /// <summary>The value as a decimal; null when it does not fit one.</summary>
    public decimal? Decimal { get; }

    /// <summary>The value as a double.</summary>
    public double Double { get; }

    /// <summary>Reads a number element.</summary>
    public static JsonNumber Read(JsonElement number)
    {
        var text = JsonMarshal.GetRawUtf8Value(number);
        var value = number.GetDouble();
        if (text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // Past long, Newtonsoft makes a BigInteger, which NJsonSchema could not compare at all (it threw); we compare
            // it exactly while it fits a decimal.
            return number.TryGetInt64(out var whole) ? new(true, whole, value)
                : new(true, number.TryGetDecimal(out var large) ? large : null, value);
        }

        // Newtonsoft holds a fraction as a double, and NJsonSchema converts that double to a decimal (15 significant
        // digits): 0.30000000000000004 ≤ 0.3 holds there, and so it does here.
        return new(false, value is > -DecimalLimit and < DecimalLimit ? (decimal)value : null, value);
    }

    /// <summary>Compares with a schema bound, as a decimal when this fits one.</summary>
    public int CompareTo(decimal bound) => Decimal is { } value ? value.CompareTo(bound) : Double.CompareTo((double)bound);

    /// <summary>Whether this is a whole multiple of <paramref name="step"/> (positive).</summary>
    public bool IsMultipleOf(decimal step) => Decimal is { } value ? value % step == 0 : Double % (double)step == 0;

    /// <summary>Numeric equality (<c>1</c> equals <c>1.0</c>).</summary>
    public bool NumericallyEquals(JsonNumber other) =>
        Decimal is { } a && other.Decimal is { } b ? a == b : Double.Equals(other.Double);
}
