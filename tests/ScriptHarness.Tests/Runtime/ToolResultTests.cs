using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class ToolResultTests
{
    [Fact]
    public void Results_AreEqual_OnlyWithTheSameValueNodeAndAnEqualError()
    {
        var node = new JsonObject { ["a"] = 1 };
        var error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "boom");

        Assert.True(ToolResult.Success(node) == ToolResult.Success(node));
        Assert.False(ToolResult.Success(node) != ToolResult.Success(node));
        Assert.True(ToolResult.Success(node).Equals((object)ToolResult.Success(node)));
        Assert.Equal(ToolResult.Success(node).GetHashCode(), ToolResult.Success(node).GetHashCode());

        // A node is compared by reference: an equal-looking copy is another result.
        Assert.True(ToolResult.Success(node) != ToolResult.Success(new JsonObject { ["a"] = 1 }));
        Assert.True(ToolResult.Failure(error) == ToolResult.Failure(ScriptErrorCode.ToolExecutionFailed, "boom"));
        Assert.True(ToolResult.Failure(error) != ToolResult.Failure(ScriptErrorCode.ToolExecutionFailed, "other"));
        Assert.True(ToolResult.Success(null) != ToolResult.Failure(error));
        Assert.True(ToolResult.Success(null) == default);
        Assert.False(ToolResult.Success(null).Equals("not a result"));
    }

    [Fact]
    public void ToString_IsTheValuesJson_OrTheErrorsText()
    {
        Assert.Equal("{\"a\":[1,\"x\"]}", ToolResult.Success(new JsonObject { ["a"] = new JsonArray(1, "x") }).ToString());
        Assert.Equal("null", ToolResult.Success(null).ToString());
        var error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "boom");
        Assert.Equal(error.ToString(), ToolResult.Failure(error).ToString());
        Assert.Equal("tool_execution_failed: boom", ToolResult.Failure(error).ToString());
    }
}
