using ScriptHarness.Approvals;

namespace ScriptHarness.Cli;

/// <summary><c>--approve ask</c>: shows each request on the terminal and reads y/n, one request at a time.</summary>
internal sealed class ConsoleApprovalService(TextReader input, TextWriter prompt) : IApprovalService, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var args = request.Arguments?.ToJsonString() ?? "{}";
            await prompt.WriteLineAsync($"Approve {request.Tool} from {request.ScriptId}?").ConfigureAwait(false);
            await prompt.WriteLineAsync("  arguments: " + (args.Length > 2000 ? args[..2000] + "…" : args)).ConfigureAwait(false);
            await prompt.WriteAsync("  [y/N] ").ConfigureAwait(false);
            await prompt.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return answer?.Trim().ToUpperInvariant() is "Y" or "YES"
                ? ApprovalDecision.Approve
                : ApprovalDecision.Deny("denied at the terminal");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();
}
