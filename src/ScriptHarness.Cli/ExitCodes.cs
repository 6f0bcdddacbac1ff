namespace ScriptHarness.Cli;

/// <summary>The CLI's exit codes (stable, documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The reply was processed, whatever each script's status.</summary>
    public const int Ok = 0;

    /// <summary>An internal failure of the harness.</summary>
    public const int InternalError = 1;

    /// <summary><c>conformance</c>: at least one scenario failed on some engine.</summary>
    public const int ConformanceFailed = 1;

    /// <summary>Bad usage, bad configuration, or an unreadable input.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The chosen engine cannot run on this machine (its native library is missing or not for this platform, or its
    /// worker process does not start): nothing was run.
    /// </summary>
    public const int EngineUnavailable = 3;

    /// <summary><c>run</c> was interrupted (Ctrl+C, SIGINT; or SIGTERM): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
