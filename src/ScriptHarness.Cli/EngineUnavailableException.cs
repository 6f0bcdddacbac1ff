namespace ScriptHarness.Cli;

/// <summary>The chosen engine cannot run on this machine: reported on stderr with exit code 3.</summary>
internal sealed class EngineUnavailableException(string message) : Exception(message);
