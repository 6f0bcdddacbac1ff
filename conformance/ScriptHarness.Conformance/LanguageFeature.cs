namespace ScriptHarness.Conformance;

/// <summary>
/// An optional language or host feature a scenario needs, such as <c>structuredClone</c>. The runner evaluates
/// <see cref="Probe"/> once per engine; where it is not true the scenario is skipped, with <see cref="WhyOptional"/> as
/// part of the reason, never run and passed.
/// </summary>
/// <param name="Name">What the feature is called, e.g. <c>structuredClone</c>.</param>
/// <param name="Probe">A JavaScript expression that is true exactly when the engine offers the feature.</param>
/// <param name="WhyOptional">Why an engine may lack it, e.g. "a host (HTML) API, not part of ECMAScript".</param>
public sealed record LanguageFeature(string Name, string Probe, string WhyOptional)
{
    /// <summary><c>structuredClone</c>: a host (HTML) API, not ECMAScript.</summary>
    public static LanguageFeature StructuredClone { get; } =
        new("structuredClone", "typeof structuredClone === 'function'", "a host (HTML) API, not part of ECMAScript");

    /// <summary><c>Object.groupBy</c> and <c>Map.groupBy</c> (ES2024).</summary>
    public static LanguageFeature GroupBy { get; } =
        new("Object.groupBy", "typeof Object.groupBy === 'function' && typeof Map.groupBy === 'function'", "ES2024; older engines lack it");

    /// <summary><c>Intl.NumberFormat</c> (ECMA-402).</summary>
    public static LanguageFeature IntlNumberFormat { get; } =
        new("Intl.NumberFormat", "typeof Intl === 'object' && typeof Intl.NumberFormat === 'function'", "ECMA-402 (Intl) is a separate, optional standard");
}
