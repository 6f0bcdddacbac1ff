namespace ScriptHarness.Parsing;

/// <summary>
/// A script that passed validation: clean source (BOM stripped) and its hash. Where it sits in the reply is the
/// pipeline's business, not the script's: the same source validated once serves every block that repeats it.
/// </summary>
/// <param name="Source">The validated source, the body of an async function.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 source, the cache key for prepared scripts.</param>
public sealed record ParsedScript(string Source, string Sha256)
{
    /// <summary>UTF-8 size of <see cref="Source"/> in bytes.</summary>
    public int SizeBytes { get; init; }

    /// <summary>
    /// Whether the script keeps state across blocks (calls <c>store</c> or <c>load</c>, seen on its syntax tree): it then
    /// waits for the earlier blocks of its reply, so state flows in reply order.
    /// </summary>
    public bool UsesState { get; init; }
}
