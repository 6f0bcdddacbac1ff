namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>SEC-</c>: realm and host escape. String compilation by every route (<c>SEC-001</c>…), the host surface the
/// script can touch (<c>SEC-030</c>…), and the JSON-only boundary with the host (<c>SEC-050</c>…).
/// </summary>
internal static partial class SecurityScenarios
{
    public static IEnumerable<ConformanceScenario> All() => [.. StringCompilation(), .. HostSurface(), .. Boundary()];
}
