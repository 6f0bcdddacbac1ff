namespace ScriptHarness.Tools.Validation;

/// <summary>A property a compiled object schema names, in the schema's order.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Schema">Its schema.</param>
/// <param name="Required">Whether <c>required</c> lists it.</param>
internal sealed record SchemaProperty(string Name, SchemaNode Schema, bool Required);
