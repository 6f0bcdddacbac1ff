namespace ScriptHarness.Parsing;

/// <summary>A script that passed validation: clean source (BOM stripped), its hash, and where it came from.</summary>
/// <param name="Index">The reply segment index of the block.</param>
/// <param name="Source">The validated source, the body of an async function.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 source, the cache key for prepared scripts.</param>
public sealed record ParsedScript(int Index, string Source, string Sha256)
{
    /// <summary>UTF-8 size of <see cref="Source"/> in bytes.</summary>
    public int SizeBytes { get; init; }
}
