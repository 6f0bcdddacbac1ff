using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// The work one check of a tool's arguments may take. A schema whose <c>$ref</c>s branch (<c>anyOf</c> of two references
/// to the next definition, forty deep) makes a checker try every path, 2^40 for one string, on the thread that made the
/// call, long after the script gave up; one whose reference leads back to itself (<c>not</c> of itself) recursed until the
/// stack ran out and ended the host. A check gets <see cref="Base"/> steps, and once past them <see cref="PerNode"/> more
/// for each node of the arguments, so large arguments are still checked in full; NJsonSchema, whose steps cost more the
/// more errors it has gathered, gets <see cref="NJsonSchemaTime"/> as well; and no check goes deeper than the stack allows.
/// </summary>
/// <remarks>Per thread: a check runs synchronously, start to end, on the thread that starts it.</remarks>
internal static class SchemaBudget
{
    public const int Base = 100_000;

    public const int PerNode = 64;

    public static readonly TimeSpan NJsonSchemaTime = TimeSpan.FromSeconds(1);

    [ThreadStatic]
    private static long t_steps;

    [ThreadStatic]
    private static long t_limit;

    [ThreadStatic]
    private static long t_deadline;

    [ThreadStatic]
    private static JsonNode? t_arguments;

    /// <summary>Starts the count for a check of <paramref name="arguments"/>, with a time limit when one is given.</summary>
    public static void Start(JsonNode? arguments, TimeSpan? time = null)
    {
        t_steps = 0;
        t_limit = Base;
        t_arguments = arguments;
        t_deadline = time is { } limit ? TimeProvider.System.GetTimestamp() + (long)(limit.TotalSeconds * TimeProvider.System.TimestampFrequency) : 0;
    }

    /// <summary>Ends the count, letting go of the arguments.</summary>
    public static void End()
    {
        t_arguments = null;
        t_limit = 0;
    }

    /// <summary>Counts one step; throws <see cref="SchemaTooComplexException"/> past the budget or the stack.</summary>
    public static void Step()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new SchemaTooComplexException("nesting deeper than the stack holds");
        }

        if (t_limit == 0)
        {
            // Not a check of arguments (a schema node asked directly): nothing to count against.
            return;
        }

        if (t_deadline != 0 && TimeProvider.System.GetTimestamp() > t_deadline)
        {
            throw new SchemaTooComplexException($"{NJsonSchemaTime.TotalSeconds:0} s");
        }

        if (++t_steps <= t_limit)
        {
            return;
        }

        // Past the base for the first time: the arguments' size decides the rest (counted only now, so a small check pays nothing).
        if (t_limit == Base && t_arguments is { } arguments)
        {
            t_limit = Base + (PerNode * Count(arguments));
            if (t_steps <= t_limit)
            {
                return;
            }
        }

        throw new SchemaTooComplexException(t_limit.ToString("N0", CultureInfo.InvariantCulture) + " steps");
    }

    private static long Count(JsonNode root)
    {
        long count = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            count++;
            switch (node)
            {
                case JsonObject o:
                    foreach (var member in o)
                    {
                        pending.Push(member.Value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }

        return count;
    }
}

/// <summary>A check of arguments went past <see cref="SchemaBudget"/>.</summary>
internal sealed class SchemaTooComplexException(string limit) : Exception("past " + limit)
{
    /// <summary>The tool error the script gets.</summary>
    public ToolException ToToolError(string tool) => ToolException.Validation(
        $"invalid arguments for {tool}: they could not be checked against the tool's schema within {limit} (its references branch or loop)");
}
