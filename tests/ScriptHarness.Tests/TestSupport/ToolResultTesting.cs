using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>
/// For tests written around a call's value: the facade returns failures as values; here a failure becomes a
/// <see cref="ToolException"/> carrying the same code and message, so <c>Assert.ThrowsAsync</c> reads it.
/// </summary>
internal static class ToolResultTesting
{
    public static async Task<JsonNode?> ValueOrThrow(this ValueTask<ToolResult> call)
    {
        var result = await call.ConfigureAwait(false);
        return result.IsSuccess ? result.Value : throw new ToolException(result.Error.Code, result.Error.Message);
    }
}
