using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// Compiling code from strings, by every route a model (or an injected prompt) might find: the function constructors
/// behind each kind of function, eval by name, escape or computed key. Names the parser's lint sees are refused up
/// front as <c>banned_identifier</c> (documented and accepted); every route past the lint must be stopped by the engine.
/// </content>
internal static partial class SecurityScenarios
{
    private static IEnumerable<ConformanceScenario> StringCompilation() =>
    [
        Compiles("SEC-001", "Function constructor reached through a function literal", "(function () {}).constructor('return \"escaped\"')()"),
        Compiles("SEC-002", "AsyncFunction constructor reached through an async function", "await (async function () {}).constructor('return \"escaped\"')()"),
        Compiles("SEC-003", "GeneratorFunction constructor reached through getPrototypeOf", "Object.getPrototypeOf(function* () {}).constructor('yield \"escaped\"')().next().value"),
        Compiles("SEC-004", "AsyncGeneratorFunction constructor reached through getPrototypeOf",
            "(await Object.getPrototypeOf(async function* () {}).constructor('yield \"escaped\"')().next()).value"),
        Compiles("SEC-005", "Function constructor reached through an arrow function", "(() => 0).constructor('return \"escaped\"')()"),
        Compiles("SEC-006", "Function constructor reached through a class", "(class {}).constructor('return \"escaped\"')()"),
        Compiles("SEC-007", "Function constructor called with Reflect.construct", "Reflect.construct((function () {}).constructor, ['return \"escaped\"'])()"),
        Compiles("SEC-008", "Function constructor reached through a built-in method", "({}).toString.constructor('return \"escaped\"')()"),
        Compiles("SEC-009", "Function constructor reached as the prototype of Object", "Object.getPrototypeOf(Object).constructor('return \"escaped\"')()"),
        Compiles("SEC-010", "Function constructor reached by destructuring 'constructor'", "(({ constructor: F }) => F)(() => 0)('return \"escaped\"')()"),
        Compiles("SEC-011", "AsyncFunction constructor called with new", "await new (Object.getPrototypeOf(async () => {}).constructor)('return \"escaped\"')()"),
        Rejected("SEC-012", "eval called by name is refused by the parser", "return eval('\"escaped\"');"),
        Rejected("SEC-013", "indirect eval (0, eval) is refused by the parser", "return (0, eval)('\"escaped\"');"),
        Rejected("SEC-014", "eval spelled with a unicode escape (\\u0065val) is refused by the parser", "return \\u0065val('\"escaped\"');"),
        Rejected("SEC-015", "Function called by name is refused by the parser", "return Function('return \"escaped\"')();"),
        Compiles("SEC-016", "eval reached by a computed name past the lint (globalThis['ev' + 'al'])", "globalThis['ev' + 'al']('\"escaped\"')"),
        Compiles("SEC-017", "eval reached through a string escape past the lint (globalThis['\\x65val'])", "globalThis['\\x65val']('\"escaped\"')"),
        Compiles("SEC-018", "Function reached by a computed name past the lint", "globalThis['Func' + 'tion']('return \"escaped\"')()"),
        Compiles("SEC-019", "eval reached through a property descriptor of globalThis",
            "Object.getOwnPropertyDescriptor(globalThis, ['e', 'v', 'a', 'l'].join('')).value('\"escaped\"')"),
        Compiles("SEC-020", "eval called through Reflect.apply", "Reflect.apply(globalThis[String.fromCharCode(101, 118, 97, 108)], null, ['\"escaped\"'])"),
        Compiles("SEC-021", "Function constructor reached through a tool function", "tools.test.echo.constructor('return \"escaped\"')()", ConformanceToolSet.Echo),
        Compiles("SEC-022", "Function constructor reached through console.log", "console.log.constructor('return \"escaped\"')()"),
        Compiles("SEC-023", "Function constructor reached through context.progress", "context.progress.constructor('return \"escaped\"')()"),
        Rejected("SEC-024", "dynamic import() is refused by the parser", "return await import('data:text/javascript,export default 1');"),
        Script("SEC-025", "no timers that take strings (setTimeout, setInterval, setImmediate)",
            "return ['set' + 'Timeout', 'set' + 'Interval', 'set' + 'Immediate'].map(k => typeof globalThis[k]);",
            Expect.Returns("""["undefined","undefined","undefined"]""")),
    ];

    // The script logs the marker, then tries the compiled code; only an error may come of it.
    private static ConformanceScenario Compiles(string id, string title, string attack, params string[] tools) =>
        Script(id, title, $"console.log('{Expect.Marker}');\nreturn {attack};", Expect.Fails(RuntimeError), tools);

    private static ConformanceScenario Rejected(string id, string title, string script) =>
        Script(id, title, script, Expect.Rejected(BannedIdentifier));
}
