using System.Text.Json.Serialization;

namespace ScriptHarness.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for the wire lines: no reflection, trim and AOT friendly.
/// Reading is strict (required fields, non-nullable fields not null) so a drifting producer fails loudly.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = WireLimits.MaxDepth)]
[JsonSerializable(typeof(TextLine))]
[JsonSerializable(typeof(ScriptResultLine))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
