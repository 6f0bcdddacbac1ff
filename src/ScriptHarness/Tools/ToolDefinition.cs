using System.Text.Json.Nodes;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tools;

/// <summary>A host tool as scripts see it: <c>await tools.&lt;namespace&gt;.&lt;name&gt;(args)</c>.</summary>
public sealed record ToolDefinition
{
    private readonly TimeSpan? _timeout;

    /// <summary>Creates a tool definition; <paramref name="name"/> is <c>namespace.name</c>.</summary>
    public ToolDefinition(string name, string description, JsonObject argumentsSchema, ToolHandler handler)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"Tool name '{name}' must be 'namespace.name' with JavaScript identifier parts (letters, digits, _).", nameof(name));
        }

        Name = name;
        Description = description ?? string.Empty;
        ArgumentsSchema = argumentsSchema ?? throw new ArgumentNullException(nameof(argumentsSchema));
        Handler = handler ?? throw new ArgumentNullException(nameof(handler));
    }

    // A harness tool's name starts with '$' (`$state.store`), which no host tool can take, so the two never collide.
    private ToolDefinition(string name, string description, JsonObject argumentsSchema, ToolHandler handler, bool harness)
    {
        Name = name;
        Description = description;
        ArgumentsSchema = argumentsSchema;
        Handler = handler;
        IsHarnessTool = harness;
    }

    /// <summary>
    /// A tool the harness itself offers scripts (state, discovery), reached through the same bridge as host tools so
    /// every engine and isolation mode has it; never listed among the host's tools nor subject to the approval policy.
    /// </summary>
    internal static ToolDefinition Harness(string name, string description, JsonObject argumentsSchema, ToolHandler handler) =>
        new(name, description, argumentsSchema, handler, harness: true) { NonBlocking = true };

    /// <summary>Whether the harness offers this tool (<see cref="Harness"/>) rather than the host.</summary>
    internal bool IsHarnessTool { get; }

    /// <summary>The full name, <c>namespace.name</c>.</summary>
    public string Name { get; }

    /// <summary>The namespace part of <see cref="Name"/>.</summary>
    public string Namespace => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The short name part of <see cref="Name"/>.</summary>
    public string ShortName => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>What the tool does, for the model's prompt.</summary>
    public string Description { get; }

    /// <summary>JSON Schema of the arguments object.</summary>
    public JsonObject ArgumentsSchema { get; }

    /// <summary>Optional JSON Schema of the result, for the TypeScript declarations.</summary>
    public JsonObject? ResultSchema { get; init; }

    /// <summary>
    /// Time limit of one call of this tool; <c>ScriptLimits.ToolTimeout</c> when null; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// for none; otherwise at most <see cref="ScriptLimits.MaxToolTimeout"/> (zero times every call out).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a limit no timer holds (negative, or over 49.7 days).</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } limit && limit != System.Threading.Timeout.InfiniteTimeSpan && (limit < TimeSpan.Zero || limit > ScriptLimits.MaxToolTimeout)
            ? throw new ArgumentOutOfRangeException(nameof(value), limit, $"Tool '{Name}': Timeout must be between 0 and {ScriptLimits.MaxToolTimeout.TotalDays:0.#} days, or infinite.")
            : value;
    }

    /// <summary>Whether a person must approve each call before the handler runs.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>
    /// Resolves what a call acts on (a file's real path, say) for the person approving it, from the validated
    /// arguments; shown in full on <see cref="Approvals.ApprovalRequest.Target"/>. A <see cref="ToolException"/> it
    /// throws (the path leaves the workspace) fails the call before anyone is asked. Null: no target is shown.
    /// </summary>
    public Func<JsonNode?, Approvals.ApprovalTarget?>? ApprovalTarget { get; init; }

    /// <summary>
    /// Whether the handler never blocks its thread: it completes at once (in-memory work) or awaits truly asynchronous
    /// work, and never sleeps, waits on a lock or does synchronous I/O. Such a handler is called inline, on the engine's
    /// thread (a call then costs no thread hop). Default false: the handler starts on one of the harness's tool threads,
    /// so a handler that blocks can hold neither its script past its time limit nor other scripts' threads. Declaring a
    /// blocking handler non-blocking stalls its script's engine thread for as long as it blocks.
    /// </summary>
    public bool NonBlocking { get; init; }

    /// <summary>The implementation.</summary>
    public ToolHandler Handler { get; }

    // Checked by hand rather than with a regex: building the first regex of a process costs a cold start ~10 ms, and
    // a regex's '$' would also let a name end in a line break.
    private static bool IsValidName(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 && IsNamePart(name.AsSpan(0, dot)) && IsNamePart(name.AsSpan(dot + 1));
    }

    // A JavaScript identifier of ASCII letters, digits and '_', not starting with a digit, 1 to 64 characters.
    private static bool IsNamePart(ReadOnlySpan<char> part)
    {
        if (part.Length is < 1 or > 64 || char.IsAsciiDigit(part[0]))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
