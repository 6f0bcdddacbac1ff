using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// The boundary itself: only plain JSON crosses it. Tool results, tool errors and CLR-backed values must arrive as
/// plain, frozen data; nothing of the host (types, exceptions, paths, the prelude's functions) may be reachable from
/// them, from stack traces or from callbacks the harness calls; and the script cannot forge a harness error code or
/// break the bridge by replacing the intrinsics it uses.
/// </content>
internal static partial class SecurityScenarios
{
    private static readonly string[] HostDetails = ["/srv/secret", "secret", "System.", "InvalidOperation", "Exception", "C:\\", ".cs:", "ScriptHarness"];

    private static IEnumerable<ConformanceScenario> Boundary() =>
    [
        Script("SEC-050", "a tool result is a plain, frozen object with no host members",
            "const r = await tools.test.echo({ a: { b: 1 } });\n"
            + "return [Object.getPrototypeOf(r) === Object.prototype, r.constructor === Object, typeof r.GetType, typeof r.hostObject, Object.isFrozen(r), Object.isFrozen(r.a)];",
            Expect.Returns("""[true,true,"undefined","undefined",true,true]"""), ConformanceToolSet.Echo),
        Script("SEC-051", "constructor.constructor on a tool result cannot compile code",
            $"const r = await tools.test.echo({{}});\nconsole.log('{Expect.Marker}');\nreturn r.constructor.constructor('return \"escaped\"')();",
            Expect.Fails(RuntimeError), ConformanceToolSet.Echo),
        Script("SEC-052", "constructor.constructor on a tool error cannot compile code",
            $"try {{ await tools.test.fail({{ message: 'boom' }}); }} catch (e) {{\n  console.log('{Expect.Marker}');\n  return e.constructor.constructor('return \"escaped\"')();\n}}",
            Expect.Fails(RuntimeError), ConformanceToolSet.Fail),
        Script("SEC-053", "a tool error is a plain Error: no hostException, InnerException, GetType or CLR fields",
            "try { await tools.test.fail({ message: 'boom' }); } catch (e) {\n"
            + "  const own = Object.getOwnPropertyNames(e).filter(k => !['message', 'stack', 'code', 'name'].includes(k));\n"
            + "  return [e instanceof Error, Object.getPrototypeOf(e) === Error.prototype, e.code, e.message, own, typeof e.hostException, typeof e.InnerException, typeof e.GetType, typeof e.clrException];\n}",
            Expect.Returns("""[true,true,"tool_execution_failed","boom",[],"undefined","undefined","undefined","undefined"]"""), ConformanceToolSet.Fail),
        Script("SEC-054", "a CLR exception in a handler reaches the caught error without host details",
            "try { await tools.conf.crash({}); return 'no error'; } catch (e) {\n"
            + "  return JSON.stringify([e.code, e.message, String(e.stack), Object.getOwnPropertyNames(e), String(e)]);\n}",
            Expect.Ok("the caught error names no host path, type or inner exception", o => NoHostDetails(Expect.Text(o), "tool_execution_failed")),
            ConformanceToolSet.Crash),
        Script("SEC-055", "an uncaught CLR exception in a handler ends the script as tool_execution_failed without host details",
            $"console.log('{Expect.Marker}');\nawait tools.conf.crash({{}});",
            Expect.Fails(ToolExecutionFailed).And("the error names no host path or type",
                o => NoHostDetails($"{o.Final.Error?.Message} {o.Final.Error?.Stack}", null)),
            ConformanceToolSet.Crash),
        Script("SEC-056", "CLR-backed values in a tool result arrive as plain JSON",
            "const r = await tools.conf.clr({});\n"
            + "return [typeof r.when, r.id, r.record, Object.getPrototypeOf(r.record) === Object.prototype, typeof r.record.GetType, Object.isFrozen(r.record)];",
            Expect.Returns("""["string","0f8fad5b-d9cb-469f-a165-70867728950e",{"Name":"host","Answer":42},true,"undefined",true]"""), ConformanceToolSet.Clr),
        Script("SEC-057", "a tool result with __proto__, constructor and then keys pollutes nothing",
            "const r = await tools.conf.hostile({});\n"
            + "return { clean: ({}).polluted === undefined && [].polluted === undefined && Object.prototype.polluted === undefined,\n"
            + "  protoIntact: Object.getPrototypeOf(r) === Object.prototype && Object.getPrototypeOf(r.nested[0]) === Object.prototype,\n"
            + "  thenIsData: r.then === 'not callable', constructorIsData: r.constructor.prototype.polluted, keys: Object.keys(r) };",
            Expect.Returns("""{"clean":true,"protoIntact":true,"thenIsData":true,"constructorIsData":true,"keys":["__proto__","constructor","then","toJSON","valueOf","nested"]}"""),
            ConformanceToolSet.Hostile),
        Script("SEC-058", "a script cannot forge a harness error code on its own Error",
            $"const e = new Error('forged');\ne.code = 'tool_budget_exceeded';\nconsole.log('{Expect.Marker}');\nthrow e;", Expect.Fails(RuntimeError)),
        Script("SEC-059", "a script cannot forge a code with a plain object, a code getter on Error.prototype or a patched WeakSet",
            "WeakSet.prototype.has = () => true;\nObject.defineProperty(Error.prototype, 'code', { get() { return 'timeout'; } });\n"
            + $"console.log('{Expect.Marker}');\nthrow new Error('forged');", Expect.Fails(RuntimeError)),
        Script("SEC-060", "throwing a plain object with a code is a runtime_error",
            $"console.log('{Expect.Marker}');\nthrow {{ code: 'approval_denied', message: 'forged' }};", Expect.Fails(RuntimeError)),
        Script("SEC-061", "replacing JSON, Object.freeze, Reflect.apply and Promise.prototype.then does not break the bridge",
            "JSON.stringify = () => '{\"forged\":true}'; JSON.parse = () => ({ ok: true, value: 'forged' });\n"
            + "Object.freeze = x => x; Reflect.apply = () => 'forged'; Promise.prototype.then = function () { throw new Error('hijacked'); };\n"
            + "const r = await tools.test.echo({ a: 1 });\nreturn { a: r.a, frozen: Object.isFrozen(r) };",
            Expect.Returns("""{"a":1,"frozen":true}"""), ConformanceToolSet.Echo),
        Script("SEC-062", "replacing Error and Promise globals does not break tool errors",
            "globalThis.Error = function Fake() {}; globalThis.Promise = null;\n"
            + "try { await tools.test.fail({ message: 'boom' }); return 'no error'; } catch (e) { return [e.code, e.message]; }",
            Expect.Returns("""["tool_execution_failed","boom"]"""), ConformanceToolSet.Fail),
        Script("SEC-063", "callbacks the bridge invokes (toJSON, getters) cannot reach their caller",
            "const seen = [];\nfunction tj() { seen.push(tj.caller === null || tj.caller === undefined); return { ok: 1 }; }\n"
            + "function getter() { seen.push(getter.caller === null || getter.caller === undefined); return 2; }\n"
            + "const args = { t: { toJSON: tj } };\nObject.defineProperty(args, 'g', { get: getter, enumerable: true });\n"
            + "await tools.test.echo(args);\nconsole.log({ toJSON: tj });\nreturn seen;",
            Expect.Returns("[true,true,true]"), ConformanceToolSet.Echo),
        Script("SEC-064", "Error.prepareStackTrace never hands the script a function of the harness",
            "// SEC064-own: functions whose source holds this line are the script's own\n"
            + "const own = new Set();\nconst leaked = [];\nconst source = fn => Object.getPrototypeOf(() => 0).toString.call(fn);\n"
            + "Error.prepareStackTrace = (err, frames) => {\n"
            + "  for (const f of Array.isArray(frames) ? frames : []) {\n"
            + "    const fn = typeof f.getFunction === 'function' ? f.getFunction() : undefined;\n"
            + "    if (typeof fn === 'function' && !own.has(fn) && !source(fn).includes('[native code]') && !source(fn).includes('SEC064' + '-own'))\n"
            + "      leaked.push(source(fn).slice(0, 60));\n"
            + "  }\n  return 'custom';\n};\n"
            + "own.add(Error.prepareStackTrace);\nconst args = { get a() { throw new Error('from getter'); } };\n"
            + "own.add(Object.getOwnPropertyDescriptor(args, 'a').get);\n"
            + "try { await tools.test.echo(args); } catch (e) { String(e.stack); }\n"
            + "try { await tools.test.fail({ message: 'x' }); } catch (e) { String(e.stack); }\n"
            + "try { null.x; } catch (e) { String(e.stack); }\nreturn leaked;",
            Expect.Returns("[]"), ConformanceToolSet.Echo, ConformanceToolSet.Fail),
        Script("SEC-065", "a stack trace the script reads holds no host path or CLR type",
            "function inner() { null.x; }\nconst stacks = [];\ntry { inner(); } catch (e) { stacks.push(String(e.stack)); }\n"
            + "try { await tools.conf.crash({}); } catch (e) { stacks.push(String(e.stack)); }\nreturn JSON.stringify(stacks);",
            Expect.Ok("the stacks name no host path or type", o => NoHostDetails(Expect.Text(o), null)), ConformanceToolSet.Crash),
        Script("SEC-066", "the stack of an uncaught error is cleaned to script positions",
            $"function inner() {{ null.x; }}\nconsole.log('{Expect.Marker}');\ninner();",
            Expect.Fails(RuntimeError).And("the stack holds script frames only", o =>
            {
                var error = o.Final.Error!;
                return Expect.That(error.Line == 2, $"the error is on block line 2, reported at {error.Line}")
                    ?? Expect.That(error.Stack is { } s && s.Contains("inner", StringComparison.Ordinal) && !s.Contains("prelude", StringComparison.Ordinal), $"stack: {error.Stack}")
                    ?? NoHostDetails(error.Stack, null);
            })),
        Script("SEC-067", "arguments are serialized once: a getter cannot show the host one value and the script another",
            "let reads = 0;\nconst args = { get v() { reads++; return reads; } };\nconst r = await tools.test.echo(args);\nreturn [r.v, reads];",
            Expect.Returns("[1,1]"), ConformanceToolSet.Echo),
        Script("SEC-068", "a Proxy whose traps throw, passed as arguments, is refused inside the engine",
            "const p = new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); } });\n"
            + "try { await tools.test.echo(p); return 'called'; } catch (e) { return e.code; }",
            Expect.Returns("\"tool_validation_failed\"").And("the host never saw the call", o => Expect.That(o.Final.ToolCalls == 0, $"{o.Final.ToolCalls} call(s) reached the host")),
            ConformanceToolSet.Echo),
    ];

    private static string? NoHostDetails(string? text, string? mustContain)
    {
        if (text is null)
        {
            return "nothing to inspect: the script returned no text";
        }

        if (mustContain is not null && !text.Contains(mustContain, StringComparison.Ordinal))
        {
            return $"expected '{mustContain}' in {text}";
        }

        var leaked = HostDetails.Where(d => text.Contains(d, StringComparison.Ordinal)).ToList();
        return leaked.Count == 0 ? null : $"host details reached the script ({string.Join(", ", leaked)}): {text}";
    }
}
