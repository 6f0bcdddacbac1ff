namespace ScriptHarness.Tools.Validation;

/// <summary>One error of a compiled schema check, placed like NJsonSchema places its own.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Property">The property (or <c>[index]</c>) it concerns; null at the value's own level.</param>
/// <param name="Path">Where in the arguments, dotted (<c>a.b[2]</c>); empty for the arguments object itself.</param>
internal readonly record struct SchemaError(SchemaErrorKind Kind, string? Property, string Path);
