using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// What the script can touch of its surroundings: host globals that must not exist (by name, where the lint refuses
/// them, and by computed key, where only the engine can), and the frozen <c>tools</c>, <c>context</c> and
/// <c>console</c>, which must survive writes, deletes and probes.
/// </content>
internal static partial class SecurityScenarios
{
    // Globals of other hosts (Node, browsers, Deno, Bun) and of engine interop layers (Jint's CLR access, ClearScript's host objects).
    private const string Forbidden = "['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'ShadowRealm', 'process', 'require', 'module', 'exports', '__dirname', "
        + "'Worker', 'SharedWorker', 'importScripts', 'Deno', 'Bun', 'setTimeout', 'setInterval', 'fetch', 'XMLHttpRequest', "
        + "'importNamespace', 'System', 'host', 'clr', 'xHost', 'Java', 'Packages', 'EngineInternal']";

    private static IEnumerable<ConformanceScenario> HostSurface() =>
    [
        Rejected("SEC-030", "WebAssembly by name is refused by the parser", "return typeof WebAssembly;"),
        Rejected("SEC-031", "process by name is refused by the parser", "return process.env;"),
        Rejected("SEC-032", "require by name is refused by the parser", "return require('fs');"),
        Rejected("SEC-033", "Worker by name is refused by the parser", "return new Worker('x.js');"),
        Rejected("SEC-034", "importScripts by name is refused by the parser", "importScripts('x.js');"),
        Script("SEC-035", "SharedArrayBuffer and Atomics do not exist",
            "return [typeof SharedArrayBuffer, typeof Atomics, typeof ShadowRealm];", Expect.Returns("""["undefined","undefined","undefined"]""")),
        Script("SEC-036", "no host global is reachable by computed key or listed on globalThis",
            $"const names = {Forbidden};\n"
            + "const present = names.filter(n => typeof globalThis[n] !== 'undefined');\n"
            + "const listed = Object.getOwnPropertyNames(globalThis).filter(n => names.includes(n));\n"
            + "return { present, listed };",
            Expect.Returns("""{"present":[],"listed":[]}""")),
        Script("SEC-037", "constructing a SharedArrayBuffer fails",
            $"console.log('{Expect.Marker}');\nreturn new globalThis['Shared' + 'ArrayBuffer'](8).byteLength;", Expect.Fails(RuntimeError)),
        Script("SEC-038", "tools answers then, toJSON, constructor and symbol probes with undefined and is not thenable",
            "const t = await tools;\n"
            + "return [t === tools, typeof tools.then, typeof tools.toJSON, typeof tools.constructor, typeof tools.__proto__, typeof tools[Symbol.iterator],\n"
            + "  typeof tools[Symbol.toPrimitive], typeof tools[Symbol.asyncIterator], typeof tools.test.then, (await tools.test) === tools.test];",
            Expect.Returns("""[true,"undefined","undefined","undefined","undefined","undefined","undefined","undefined","undefined",true]"""),
            ConformanceToolSet.Echo),
        Script("SEC-039", "writes and deletes on tools, context and console change nothing",
            "for (const write of [() => { tools.test = null; }, () => { tools.evil = 1; }, () => { delete tools.test; }]) { try { write(); } catch (e) { } }\n"
            + "context.scriptId = 'evil'; context.limits.maxToolCalls = 1e9; delete context.mode;\n"
            + "console.log = () => 'hijacked'; globalThis.tools = {}; globalThis.context = {};\n"
            + "console.log('still captured');\n"
            + "return [tools.evil === 1, context.scriptId === 'evil', context.limits.maxToolCalls, 'mode' in context, (await tools.test.echo({ a: 1 })).a];",
            Expect.Returns("""[false,false,32,true,1]""").And("console.log still captured", o => Expect.That(o.Final.Logs.Any(l => l.Message == "still captured"), "console.log was replaced")),
            ConformanceToolSet.Echo),
        Script("SEC-040", "a strict-mode write to context throws",
            $"'use strict';\nconsole.log('{Expect.Marker}');\ncontext.scriptId = 'evil';\nreturn 'written';", Expect.Fails(RuntimeError)),
        Script("SEC-041", "a strict-mode write to a tool namespace throws",
            $"'use strict';\nconsole.log('{Expect.Marker}');\ntools.test.echo = () => 'fake';\nreturn 'written';", Expect.Fails(RuntimeError), ConformanceToolSet.Echo),
        Script("SEC-042", "defineProperty and setPrototypeOf on tools throw",
            "const tries = [() => Object.defineProperty(tools, 'x', { value: 1 }), () => Object.setPrototypeOf(tools.test, {}),\n"
            + "  () => Object.defineProperty(context, 'x', { value: 1 }), () => Object.setPrototypeOf(console, {})];\n"
            + "return tries.map(t => { try { t(); return 'allowed'; } catch (e) { return e instanceof TypeError ? 'TypeError' : 'other'; } });",
            Expect.Returns("""["TypeError","TypeError","TypeError","TypeError"]"""), ConformanceToolSet.Echo),
        Script("SEC-043", "raising context.limits.maxToolCalls does not raise the real budget",
            "context.limits.maxToolCalls = 1e9;\nconsole.log('reached');\nfor (let i = 0; i < 33; i++) await tools.test.counter();\nreturn 'over budget';",
            Expect.Fails(ToolBudgetExceeded) with { MinToolCalls = 32 }, ConformanceToolSet.Counter),
        Script("SEC-044", "context holds only ids, mode and limits, deeply frozen",
            "return [Object.keys(context).sort(), Object.isFrozen(context), Object.isFrozen(context.limits), typeof context.progress];",
            Expect.Returns("""[["conversationId","limits","mode","progress","scriptId","sessionId","turnId"],true,true,"function"]""")),
    ];
}
