using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ScriptHarness.AI.Mcp;

/// <summary>
/// Starts a stdio MCP server and speaks to it over its standard input and output, as the SDK's stdio transport does,
/// with one difference: a message from the server is at most <see cref="McpToolOptions.MaxMessageBytes"/> and
/// <see cref="McpToolOptions.MaxMessageValues"/>. A server that sends more is stopped and its calls fail, so a script
/// that asks a server for a huge answer (a whole log file) cannot take the host's memory with it.
/// </summary>
internal sealed class McpStdioTransport(McpServerCommand server, string name, McpToolOptions limits, ILoggerFactory? loggerFactory) : IClientTransport
{
    private const int StandardErrorTailLines = 10;
    private const int MaxErrorLineChars = 500;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitWait = TimeSpan.FromMilliseconds(500);

    private readonly Queue<string> _standardErrorTail = new();
    private Process? _process; // under _processGate once started
    private volatile string? _fault;
    private volatile string? _closed;
    private readonly Lock _processGate = new();
    private string? _exit;
    private Task _errorTail = Task.CompletedTask;

    public string Name => name;

    /// <summary>
    /// Why the server's connection ended, in words for the script, once it has; null while it is up.
    /// </summary>
    /// <param name="connectionLost">
    /// A call just failed on the connection: the server may be exiting, and its exit says more than the closed pipe, so
    /// wait a moment for it.
    /// </param>
    public string? Fault(bool connectionLost)
    {
        if (_fault is { } fault)
        {
            return fault;
        }

        // The session may be gone (the SDK disposes it when the handshake fails), and the process object with it: what
        // the exit was is then what the session saw when it ended.
        lock (_processGate)
        {
            if (_exit is { } exit)
            {
                return exit;
            }

            if (_process is { } process && (process.HasExited || (connectionLost && process.WaitForExit(ExitWait))))
            {
                return _exit = Exit(process);
            }
        }

        return _closed;
    }

    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var process = new Process { StartInfo = StartInfo(server) };
        process.Start();
        _process = process;
        try
        {
            _errorTail = Task.Run(() => KeepErrorTailAsync(process.StandardError.BaseStream), CancellationToken.None);
            var output = new MessageSizeLimitStream(process.StandardOutput.BaseStream, limits.MaxMessageBytes, limits.MaxMessageValues, what =>
            {
                _fault = $"the MCP server '{name}' sent a message {what} and was stopped";
                Kill(process);
            });
            var session = await new StreamClientTransport(process.StandardInput.BaseStream, output, loggerFactory)
                .ConnectAsync(cancellationToken).ConfigureAwait(false);
            _ = session.MessageReader.Completion.ContinueWith(
                ended => _closed = $"the connection to the MCP server '{name}' ended"
                    + (ended.Exception is { } error ? ": " + Innermost(error).Message : string.Empty),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new Session(session, process, this);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(McpServerCommand server)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        // As the SDK does: on Windows, commands such as npx are batch files, which only cmd.exe starts.
        if (OperatingSystem.IsWindows())
        {
            start.FileName = "cmd.exe";
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add(server.Command);
        }
        else
        {
            start.FileName = server.Command;
        }

        foreach (var argument in server.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private string Exit(Process process)
    {
        // Its last error output may still be on its way; a child it started may hold the pipe open, so not for long.
        process.WaitForExit(ExitWait);
        _errorTail.Wait(ExitWait);
        string tail;
        lock (_standardErrorTail)
        {
            tail = _standardErrorTail.Count == 0 ? string.Empty : "; its last error output: " + string.Join(" | ", _standardErrorTail);
        }

        return $"the MCP server '{name}' exited with code {process.ExitCode}{tail}";
    }

    /// <summary>Ends the server when its session ends: asked to stop (its input closed), killed if it does not.</summary>
    private async ValueTask StopAsync(Process process)
    {
        lock (_processGate)
        {
            if (process.HasExited)
            {
                _exit ??= Exit(process);
            }
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It has gone.
        }

        using var stop = new CancellationTokenSource(ShutdownTimeout);
        var stopped = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            stopped = true;
        }

        lock (_processGate)
        {
            // A failed handshake is reported after this: how the server ended is all that is left to say.
            _exit ??= stopped ? $"the MCP server '{name}' did not stop when asked and was killed" : Exit(process);
            _process = null;
            process.Dispose();
        }
    }

    private static Exception Innermost(Exception? exception)
    {
        var innermost = exception ?? new IOException("it closed");
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // It is exiting.
        }
    }

    /// <summary>
    /// Reads the server's error output to its end, keeping the last lines (each cut short) for the messages above: read
    /// as lines by the runtime, a server writing without line breaks would grow the host's memory as its output would.
    /// </summary>
    private async Task KeepErrorTailAsync(Stream errors)
    {
        var buffer = new byte[4096];
        var line = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            int read;
            while ((read = await errors.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var count = decoder.GetChars(buffer, 0, read, chars, 0);
                foreach (var c in chars.AsSpan(0, count))
                {
                    if (c == '\n')
                    {
                        Remember(line.ToString().TrimEnd('\r'));
                        line.Clear();
                    }
                    else if (line.Length < MaxErrorLineChars)
                    {
                        line.Append(c);
                    }
                }
            }

            if (line.Length > 0)
            {
                Remember(line.ToString());
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The server, or its session, has gone.
        }
    }

    private void Remember(string line)
    {
        lock (_standardErrorTail)
        {
            _standardErrorTail.Enqueue(line.Length < MaxErrorLineChars ? line : line + "…");
            if (_standardErrorTail.Count > StandardErrorTailLines)
            {
                _standardErrorTail.Dequeue();
            }
        }
    }

    /// <summary>The SDK's session over the server's streams, which also ends the server when it ends.</summary>
    private sealed class Session(ITransport inner, Process process, McpStdioTransport owner) : ITransport
    {
        public string? SessionId => inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => inner.MessageReader;

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) =>
            inner.SendMessageAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await owner.StopAsync(process).ConfigureAwait(false);
        }
    }
}
