namespace ScriptHarness.Conformance;

/// <summary>The families of the catalogue; each scenario id starts with its family's prefix (<c>SEC-001</c>).</summary>
public enum ScenarioFamily
{
    /// <summary><c>SEC-</c>: realm and host escape — string compilation, host objects, forged codes, frozen globals.</summary>
    Security,
    /// <summary><c>DOS-</c>: denial of service — loops, floods, bombs, deep recursion; each ends with its typed error.</summary>
    DenialOfService,
    /// <summary><c>PROM-</c>: the promise lifecycle of tool calls — budget, concurrency, detached and raced calls.</summary>
    Promises,
    /// <summary><c>TOOL-</c>: calling tools — lookup, schema validation, failures, results, dry run.</summary>
    Tools,
    /// <summary><c>APPR-</c>: tool calls that need a person's approval.</summary>
    Approvals,
    /// <summary><c>ISO-</c>: nothing one script does is visible to the next.</summary>
    Isolation,
    /// <summary><c>LANG-</c>: modern JavaScript a model writes behaves the same on every engine.</summary>
    Language,
}
