using System.Text;
using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

internal static class ScriptValidatorTestHelpers
{
    public static ScriptValidator CreateSut(ScriptValidatorOptions? options = null) => new(options);

    public static ParsedScript AssertValid(ScriptValidationResult result)
    {
        Assert.True(result.IsValid, result.Error?.ToString());
        return result.Script;
    }

    public static ScriptError AssertRejected(ScriptValidationResult result, ScriptErrorCode code, int? line = null, int? column = null)
    {
        Assert.False(result.IsValid, "expected a rejection");
        Assert.Equal(code, result.Error.Code);
        if (line is not null)
        {
            Assert.Equal((line, column), (result.Error.Line, result.Error.Column));
        }

        return result.Error;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // Runs on a thread with a known stack, so stack-depth outcomes do not depend on the test runner's threads.
    public static ScriptValidationResult ValidateOnSmallStack(string source)
    {
        ScriptValidationResult result = default;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = CreateSut().Validate(source);
                }
                catch (Exception ex)
                {
                    failure = ex; // rethrown on the test thread; an escaping exception would kill the test host
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("validation threw", failure);
    }
}
