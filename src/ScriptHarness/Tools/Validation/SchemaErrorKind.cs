namespace ScriptHarness.Tools.Validation;

/// <summary>
/// What a compiled schema check found wrong. The names are NJsonSchema's <c>ValidationErrorKind</c> names, so a message
/// reads the same whichever validator wrote it; <see cref="NotConstValue"/> is ours (NJsonSchema ignores <c>const</c>).
/// </summary>
internal enum SchemaErrorKind
{
    StringExpected,
    NumberExpected,
    IntegerExpected,
    BooleanExpected,
    ObjectExpected,
    PropertyRequired,
    ArrayExpected,
    NullExpected,
    PatternMismatch,
    StringTooShort,
    StringTooLong,
    NumberTooSmall,
    NumberTooBig,
    TooManyItems,
    TooFewItems,
    NotAnyOf,
    ExcludedSchemaValidates,
    NumberNotMultipleOf,
    NotInEnumeration,
    NotConstValue,
    ArrayItemNotValid,
    AdditionalPropertiesNotValid,
    NoAdditionalPropertiesAllowed,
    TooManyProperties,
    TooFewProperties,
    NoTypeValidates,
}
