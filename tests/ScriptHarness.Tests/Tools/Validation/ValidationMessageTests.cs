using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>
/// The message of refused arguments: at most three errors, each placed by its path (NJsonSchema's "#/a/b" or the
/// compiler's "a.b") or else its property, "arguments" for the whole, and its kind in words.
/// </summary>
public sealed class ValidationMessageTests
{
    [Theory]
    [InlineData("#/a/b", "ignored", "a.b")]
    [InlineData("#/", null, "arguments")]
    [InlineData("#", "name", "name")]
    [InlineData("#", null, "arguments")]
    [InlineData(null, "name", "name")]
    [InlineData("", "name", "name")]
    [InlineData("", "", "arguments")]
    [InlineData(null, null, "arguments")]
    [InlineData("items.0.id", null, "items.0.id")]
    public void Create_PlacesTheErrorByItsPathOrItsProperty(string? path, string? property, string placed)
    {
        var error = ValidationMessage.Create("x.run", [(path, property, "StringExpected")]);

        Assert.Equal(ScriptErrorCode.ToolValidationFailed, error.Error.Code);
        Assert.Equal($"invalid arguments for x.run: {placed}: string expected", error.Error.Message);
    }

    [Fact]
    public void Create_NamesAtMostThreeErrors_InTheirOrder()
    {
        var error = ValidationMessage.Create("x.run", [("a", null, "PropertyRequired"), ("b", null, "NoAdditionalPropertiesAllowed"), ("c", null, "A"), ("d", null, "IntegerExpected")]);

        Assert.Equal("invalid arguments for x.run: a: property required; b: no additional properties allowed; c: a", error.Error.Message);
    }

    [Fact]
    public void Create_FromSchemaErrors_UsesTheirKindsNames()
    {
        var error = ValidationMessage.Create("x.run", [new SchemaError(SchemaErrorKind.NumberNotMultipleOf, "n", "n")]);

        Assert.Equal("invalid arguments for x.run: n: number not multiple of", error.Error.Message);
    }
}
