using Microsoft.Extensions.Logging;

namespace ScriptHarness.Runtime;

/// <summary>One captured <c>console.*</c> call.</summary>
/// <param name="Level">Information for <c>log</c>/<c>info</c>, Warning for <c>warn</c>, Error for <c>error</c>.</param>
/// <param name="Message">The message, truncated to the message limit.</param>
public sealed record LogEntry(LogLevel Level, string Message);
