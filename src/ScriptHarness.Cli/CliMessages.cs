using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ScriptHarness.Cli;

/// <summary>Exception messages as a person at the terminal should read them: one line, no .NET parameter names.</summary>
internal static class CliMessages
{
    private const int MaxCauseLength = 600;

    /// <summary><paramref name="ex"/>'s message without the " (Parameter 'name')" that ArgumentException appends.</summary>
    public static string Of(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>
    /// Why <paramref name="ex"/> happened, in one line: the wrappers that only say "an initializer failed" are looked
    /// through to the exception that names the cause (a native library that cannot be loaded, say).
    /// </summary>
    public static string Cause(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        while (ex is TypeInitializationException or TargetInvocationException or AggregateException && ex.InnerException is { } inner)
        {
            ex = inner;
        }

        if (ex is DllNotFoundException && NativeLibrary(ex.Message) is { } native)
        {
            return native;
        }

        var lines = Of(ex).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = $"{ex.GetType().Name}: {string.Join(" ", lines)}";
        return text.Length > MaxCauseLength ? text[..MaxCauseLength] + "…" : text;
    }

    // .NET says "Unable to load shared library 'X' or one of its dependencies. In order to help diagnose …:" and then
    // one line per place it looked ("/dir/X: cannot open shared object file: No such file or directory"): the library,
    // this platform and the first place's reason say it; the advice and the list of places do not.
    private static string? NativeLibrary(string message)
    {
        var name = Regex.Match(message, "'([^']+)'");
        if (!name.Success)
        {
            return null;
        }

        var reason = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.IndexOf(": ", StringComparison.Ordinal) is var at and >= 0 ? line[(at + 2)..] : null)
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r));
        return $"its native library {name.Groups[1].Value} cannot be loaded on {RuntimeInformation.RuntimeIdentifier}"
            + (reason is null ? string.Empty : $" ({reason})");
    }
}
