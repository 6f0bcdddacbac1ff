using Microsoft.Extensions.Options;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Cli;

/// <summary>The failures every command reports the same way: one line on stderr and a documented exit code.</summary>
internal static class CommandErrors
{
    public static async Task<int> GuardAsync(Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return await FailAsync(ex.Message, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            return await FailAsync(ex.Message, ExitCodes.EngineUnavailable).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ConfigurationException or InvalidOperationException { InnerException: not null })
        {
            // Options binding wraps what it could not convert ("banana" for a TimeSpan) in an InvalidOperationException.
            return await FailAsync("invalid configuration: " + Describe(ex), ExitCodes.Usage).ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(string message, int exitCode)
    {
        await Console.Error.WriteLineAsync("scriptharness: " + message).ConfigureAwait(false);
        return exitCode;
    }

    private static string Describe(Exception ex) => ex switch
    {
        OptionsValidationException o => string.Join("; ", o.Failures),
        ConfigurationException c => string.Join("; ", c.Problems),
        _ => CliMessages.Of(ex.InnerException ?? ex),
    };
}
