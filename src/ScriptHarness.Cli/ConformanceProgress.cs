using System.Globalization;

namespace ScriptHarness.Cli;

/// <summary>
/// Where a <c>conformance</c> run is, on one line of the terminal rewritten in place ("jint (in-process): 37/212 scenarios, 0 failed").
/// Used only when stderr is a terminal: in a pipe or a log the run stays quiet but for failures and the summary.
/// </summary>
internal sealed class ConformanceProgress(TextWriter terminal)
{
    // Carriage return, then "erase to the end of the line": the next text replaces the line.
    private const string ClearLine = "\r\u001b[K";

    private bool _shown;

    public void Show(string engine, int done, int total, int failed)
    {
        terminal.Write(string.Create(CultureInfo.InvariantCulture, $"{ClearLine}{engine}: {done}/{total} scenarios, {failed} failed"));
        terminal.Flush();
        _shown = true;
    }

    /// <summary>Takes the line away, before other output or at the end.</summary>
    public void Clear()
    {
        if (_shown)
        {
            terminal.Write(ClearLine);
            terminal.Flush();
            _shown = false;
        }
    }
}
