using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>LANG-</c>: the modern JavaScript models write, which must behave the same on every engine. Optional features
/// (<c>structuredClone</c>, <c>Object.groupBy</c>, <c>Intl</c>) are probed, and an engine without one skips the
/// scenario with the reason.
/// </summary>
internal static partial class LanguageScenarios
{
    public static IEnumerable<ConformanceScenario> All() => [.. Syntax(), .. Library()];

    private static IEnumerable<ConformanceScenario> Syntax() =>
    [
        Lang("LANG-001", "destructuring with defaults, renames and rest",
            "const { a, b: { c = 3 } = {}, ...rest } = { a: 1, d: 4, e: 5 };\nconst [x, , y = 9, ...tail] = [1, 2, undefined, 4, 5];\nreturn { a, c, rest, x, y, tail };",
            """{"a":1,"c":3,"rest":{"d":4,"e":5},"x":1,"y":9,"tail":[4,5]}"""),
        Lang("LANG-002", "spread in calls, arrays and objects",
            "const f = (...n) => n.reduce((s, v) => s + v, 0);\nconst base = { a: 1, b: 2 };\nreturn [f(...[1, 2, 3]), [...'ab', ...[3]], { ...base, b: 3, ...null }];",
            """[6,["a","b",3],{"a":1,"b":3}]"""),
        Lang("LANG-003", "optional chaining, nullish coalescing and logical assignment",
            "const o = { a: { f: () => 'called' } , z: 0 };\nlet u = null, v = 0, w = 1;\nu ??= 'set'; v ||= 'set'; w &&= 'set';\n"
            + "return [o.a?.b?.c, o.a.f?.(), o.missing?.(), o.z ?? 'dflt', o.none ?? 'dflt', u, v, w];",
            """[null,"called",null,0,"dflt","set","set","set"]"""),
        Lang("LANG-004", "classes with private fields and methods, static blocks, getters and inheritance",
            "class Counter {\n  #n = 0; static made = 0;\n  static { Counter.made = -1; }\n  #bump() { return ++this.#n; }\n  inc() { return this.#bump(); }\n  get value() { return this.#n; }\n"
            + "  static has(o) { return #n in o; }\n}\nclass Twice extends Counter { inc() { super.inc(); return super.inc(); } }\n"
            + "const t = new Twice();\nt.inc(); t.inc();\nreturn [t.value, Counter.has(t), Counter.has({}), Counter.made, t instanceof Counter];",
            """[4,true,false,-1,true]"""),
        Lang("LANG-005", "async iteration with for await over an async generator",
            "async function* gen() { for (let i = 1; i <= 3; i++) { await null; yield i * 10; } }\nconst out = [];\nfor await (const v of gen()) out.push(v);\n"
            + "for await (const v of [Promise.resolve('p'), 'q']) out.push(v);\nreturn out;",
            """[10,20,30,"p","q"]"""),
        Lang("LANG-006", "generators, iterators and a custom iterable",
            "function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }\nconst first = [];\nfor (const n of fib()) { if (first.length === 8) break; first.push(n); }\n"
            + "const range = { from: 1, to: 3, *[Symbol.iterator]() { for (let i = this.from; i <= this.to; i++) yield i; } };\n"
            + "const g = (function* () { const x = yield 1; return x * 2; })();\ng.next();\nreturn [first, [...range], g.next(21)];",
            """[[0,1,1,2,3,5,8,13],[1,2,3],{"value":42,"done":true}]"""),
        Lang("LANG-007", "template literals, tagged templates and String.raw",
            "const n = 3;\nconst tag = (s, ...v) => s.raw.join('|') + '#' + v.join(',');\nreturn [`${n} x ${n} = ${n * n}`, tag`a${1}b${2}c`, String.raw`\\n${n}`, `multi\nline`];",
            """["3 x 3 = 9","a|b|c#1,2","\\n3","multi\nline"]"""),
        Lang("LANG-008", "labeled loops with break and continue",
            "const hits = [];\nouter: for (let i = 0; i < 4; i++) {\n  for (let j = 0; j < 4; j++) {\n    if (j === 2) continue outer;\n    if (i === 3) break outer;\n    hits.push(`${i}${j}`);\n  }\n}\nreturn hits;",
            """["00","01","10","11","20","21"]"""),
        Lang("LANG-009", "closures capture per-iteration let bindings",
            "const fs = [];\nfor (let i = 0; i < 3; i++) fs.push(() => i);\nvar vs = [];\nfor (var k = 0; k < 3; k++) vs.push(() => k);\nreturn [fs.map(f => f()), vs.map(f => f())];",
            "[[0,1,2],[3,3,3]]"),
        Lang("LANG-010", "getters, setters, computed keys and shorthand methods",
            "const key = 'dyn';\nconst o = { _v: 1, get v() { return this._v * 10; }, set v(x) { this._v = x; }, [key + 'amic']: true, m() { return 'm'; } };\no.v = 5;\nreturn [o.v, o.dynamic, o.m(), Object.keys(o)];",
            """[50,true,"m",["_v","v","dynamic","m"]]"""),
        Lang("LANG-011", "exponent operator, numeric separators, BigInt arithmetic and integer-keyed order",
            "const o = { b: 1, 2: 'two', a: 2, 1: 'one' };\nreturn [2 ** 10, 1_000_000, String(2n ** 64n), (7n / 2n).toString(), typeof 1n, Object.keys(o)];",
            """[1024,1000000,"18446744073709551616","3","bigint",["1","2","b","a"]]"""),
        Lang("LANG-012", "errors: subclasses, cause, instanceof and finally",
            "class AppError extends Error { constructor(m, opts) { super(m, opts); this.name = 'AppError'; } }\nlet log = [];\n"
            + "try { try { throw new AppError('inner', { cause: 'root' }); } finally { log.push('finally'); } }\n"
            + "catch (e) { log.push(e.name, e.message, e.cause, e instanceof AppError, e instanceof Error, String(e)); }\nreturn log;",
            """["finally","AppError","inner","root",true,true,"AppError: inner"]"""),
        Lang("LANG-013", "async functions, arrow functions and Promise combinators",
            "const wait = v => new Promise(r => r(v));\nconst all = await Promise.all([wait(1), 2, wait(3)]);\n"
            + "const settled = await Promise.allSettled([Promise.reject(new Error('no')), wait('yes')]);\n"
            + "let agg;\ntry { await Promise.any([Promise.reject(1), Promise.reject(2)]); } catch (e) { agg = [e.constructor.name, e.errors]; }\n"
            + "return [all, settled.map(s => s.status), agg, await Promise.race([wait('r'), new Promise(() => {})])];",
            """[[1,2,3],["rejected","fulfilled"],["AggregateError",[1,2]],"r"]"""),
        Lang("LANG-014", "Proxy and Reflect basics",
            "const seen = [];\nconst p = new Proxy({ a: 1 }, { get(t, k, r) { seen.push(String(k)); return Reflect.get(t, k, r); }, has(t, k) { return k === 'magic' || k in t; } });\n"
            + "return [p.a, 'magic' in p, 'other' in p, seen, Reflect.ownKeys({ x: 1, [Symbol.for('s')]: 2 }).length];",
            """[1,true,false,["a"],2]"""),
        Lang("LANG-015", "switch, ternaries, comma, typeof, in and instanceof",
            "const kind = v => { switch (typeof v) { case 'number': return v > 0 ? 'pos' : 'nonpos'; case 'string': return 'str'; default: return 'other'; } };\n"
            + "let i = 0;\nconst c = (i++, i++, i);\nreturn [kind(1), kind(-1), kind('s'), kind(null), c, 'a' in { a: 1 }, [] instanceof Array, typeof null, typeof undefined];",
            """["pos","nonpos","str","other",2,true,true,"object","undefined"]"""),
    ];

    private static ConformanceScenario Lang(string id, string title, string script, string expected) =>
        Script(id, title, script, Expect.Returns(expected));
}
