namespace ScriptHarness.Cli;

/// <summary>Bad usage or unreadable input: reported on stderr with exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
