using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScriptHarness.Approvals;

namespace ScriptHarness.Cli;

/// <summary>
/// <c>--approve ask</c>: shows each request on the terminal — tool, script, the resolved target in full with its
/// warnings (a write into <c>.git/hooks</c>), and the sanitized arguments — and reads y/n,
/// one request at a time. Anything but y/yes, end of input included, denies.
/// </summary>
internal sealed class ConsoleApprovalService(TextReader input, TextWriter prompt) : IApprovalService, IDisposable
{
    /// <summary>
    /// Requests from scripts arrive already sanitized; this pass guards requests built elsewhere. Its limits leave room
    /// for the "…(N more …)" notes of the first pass, so an already sanitized request is shown unchanged.
    /// </summary>
    internal static readonly ApprovalSanitizerOptions Display = ApprovalSanitizerOptions.Default with
    {
        MaxStringLength = ApprovalSanitizerOptions.Default.MaxStringLength + 64,
        MaxArrayItems = ApprovalSanitizerOptions.Default.MaxArrayItems + 1,
        MaxProperties = ApprovalSanitizerOptions.Default.MaxProperties + 1,
    };

    private const int MaxShownArgumentChars = 2000;

    // Readable non-ASCII text ("…", "é"); what could fool the terminal is escaped by ForTerminal.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var args = ForTerminal(ApprovalSanitizer.Sanitize(request.Arguments, Display)?.ToJsonString(Json) ?? "{}");
            await prompt.WriteLineAsync($"Approve {request.Tool} from {request.ScriptId}?").ConfigureAwait(false);
            if (request.Target is { } target)
            {
                // In full and first: the arguments below may be cut, where the call lands never is.
                await prompt.WriteLineAsync("  target: " + ForTerminal(target.Path)).ConfigureAwait(false);
                foreach (var warning in target.Warnings)
                {
                    await prompt.WriteLineAsync("  ! " + ForTerminal(warning)).ConfigureAwait(false);
                }
            }

            await prompt.WriteLineAsync("  arguments: " + (args.Length > MaxShownArgumentChars ? args[..MaxShownArgumentChars] + "…" : args)).ConfigureAwait(false);
            await prompt.WriteAsync("  [y/N] ").ConfigureAwait(false);
            await prompt.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return answer?.Trim().ToUpperInvariant() is "Y" or "YES"
                ? ApprovalDecision.Approve
                : ApprovalDecision.Deny(answer is null ? "no answer at the terminal (end of input)" : "denied at the terminal");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    /// <summary>
    /// Escapes, as JSON <c>\uXXXX</c>, every character that could change what the person sees: controls (escape
    /// sequences), format characters (bidirectional overrides, zero-width), line separators, private and unassigned ones.
    /// </summary>
    internal static string ForTerminal(string json)
    {
        var builder = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
