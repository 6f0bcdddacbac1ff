using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>The standard library as scripts use it: arrays, objects, JSON, Math, Date, Intl, Map/Set, RegExp, strings.</content>
internal static partial class LanguageScenarios
{
    private static IEnumerable<ConformanceScenario> Library() =>
    [
        Lang("LANG-020", "Array.prototype.at, findLast, flat, flatMap, includes and the copying methods",
            "const a = [3, 1, 2];\nreturn [a.at(-1), a.findLast(n => n > 1), [1, [2, [3, [4]]]].flat(2), [1, 2].flatMap(n => [n, n * 10]), a.includes(NaN), [NaN].includes(NaN),\n"
            + "  a.toSorted(), a.toReversed(), a.with(0, 9), a.toSpliced(1, 1), a];",
            """[2,2,[1,2,3,[4]],[1,10,2,20],false,true,[1,2,3],[2,1,3],[9,1,2],[3,2],[3,1,2]]"""),
        Lang("LANG-021", "sort is stable and honours comparators; numbers sort as strings by default",
            "const rows = [{ k: 'b', i: 0 }, { k: 'a', i: 1 }, { k: 'b', i: 2 }, { k: 'a', i: 3 }];\nreturn [rows.sort((x, y) => x.k.localeCompare(y.k)).map(r => r.i), [10, 9, 1, 100].sort(), [10, 9, 1, 100].sort((x, y) => x - y)];",
            "[[1,3,0,2],[1,10,100,9],[1,9,10,100]]"),
        Lang("LANG-022", "Object.entries, fromEntries, assign, freeze and structured copies by JSON",
            "const o = { a: 1, b: { c: 2 } };\nconst copy = JSON.parse(JSON.stringify(o));\ncopy.b.c = 3;\nconst f = Object.freeze({ x: 1 });\n"
            + "return [Object.entries(o).map(([k]) => k), Object.fromEntries([['x', 1], ['y', 2]]), Object.assign({}, { a: 1 }, { b: 2 }), o.b.c, Object.isFrozen(f), Object.hasOwn(o, 'a')];",
            """[["a","b"],{"x":1,"y":2},{"a":1,"b":2},2,true,true]"""),
        Lang("LANG-023", "JSON: replacer, reviver, indentation, toJSON and special values",
            "const text = JSON.stringify({ b: 2, a: [1, { c: undefined, d: () => 1 }], n: NaN, when: new Date(0), big: 1e21 }, null, 2);\n"
            + "const revived = JSON.parse('{\"x\":1,\"y\":2}', (k, v) => (k === 'y' ? v * 10 : v));\n"
            + "return [text, JSON.stringify({ a: 1, b: 2, c: 3 }, ['a', 'c']), revived, JSON.stringify('\\u2028\\ud800'), JSON.stringify([undefined, function () {}])];",
            """["{\n  \"b\": 2,\n  \"a\": [\n    1,\n    {}\n  ],\n  \"n\": null,\n  \"when\": \"1970-01-01T00:00:00.000Z\",\n  \"big\": 1e+21\n}","{\"a\":1,\"c\":3}",{"x":1,"y":20},"\"\u2028\\ud800\"","[null,null]"]"""),
        Lang("LANG-024", "Math functions and number formatting",
            "return [Math.max(1, 5, 3), Math.min(), Math.trunc(-4.7), Math.sign(-3), Math.cbrt(27), Math.hypot(3, 4), Math.clz32(1), Math.round(2.5), Math.round(-2.5),\n"
            + "  (1234.5678).toFixed(2), (0.000001234).toPrecision(2), (255).toString(16), (255).toString(2), Number.parseFloat('3.14abc'), Number.isInteger(5.0), 0.1 + 0.2 === 0.3, Number.EPSILON > 0,\n"
            + "  String(1e21), String(123e-20), (-0).toString(), Object.is(-0, 0), Number.MAX_SAFE_INTEGER];",
            """[5,null,-4,-1,3,5,31,3,-2,"1234.57","0.0000012","ff","11111111",3.14,true,false,true,"1e+21","1.23e-18","0",false,9007199254740991]"""),
        Lang("LANG-025", "Date in UTC: construction, parts, ISO text and arithmetic",
            "const d = new Date(Date.UTC(2024, 1, 29, 23, 30, 15, 250));\nconst next = new Date(d.getTime() + 24 * 3600 * 1000);\n"
            + "return [d.toISOString(), d.getUTCDay(), d.getUTCMonth(), next.toISOString().slice(0, 10), Date.parse('2024-03-01T00:00:00Z'), new Date('2024-03-01T00:00:00.000Z').getTime() - d.getTime(), JSON.stringify({ d }), isNaN(new Date('not a date'))];",
            """["2024-02-29T23:30:15.250Z",4,1,"2024-03-01",1709251200000,1784750,"{\"d\":\"2024-02-29T23:30:15.250Z\"}",true]"""),
        Lang("LANG-026", "Map and Set: insertion order, keys of any type, iteration and conversion",
            "const m = new Map([[1, 'one']]);\nconst key = { k: 1 };\nm.set(key, 'obj').set('1', 'string one').set(NaN, 'nan');\nconst s = new Set([3, 1, 3, 2, 1]);\nconst w = new WeakMap([[key, 1]]);\n"
            + "return [m.get(1), m.get('1'), m.get(key), m.get(NaN), m.size, [...m.keys()].map(k => typeof k), [...s], s.has(2), [...new Set('hello')].join(''), Object.fromEntries(new Map([['a', 1]])), w.get(key)];",
            """["one","string one","obj","nan",4,["number","object","string","number"],[3,1,2],true,"helo",{"a":1},1]"""),
        Lang("LANG-027", "RegExp: named groups, matchAll, lookbehind, sticky, unicode and replace with groups",
            "const m = /(?<y>\\d{4})-(?<mo>\\d{2})/.exec('on 2024-02-29');\nconst all = [...'a1b22c333'.matchAll(/\\d+/g)].map(x => [x[0], x.index]);\nconst sticky = /a/y;\nsticky.lastIndex = 1;\n"
            + "return [m.groups.y, m.groups.mo, m.index, all, '$9.99 and €5'.match(/(?<=\\$)\\d+(\\.\\d+)?/)[0], sticky.test('ba'), /^.$/u.test('😀'), /^.$/.test('😀'),\n"
            + "  '2024-02-29'.replace(/(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)/, '$<d>/$<m>/$<y>'), 'a.b.c'.split('.'), 'x'.replace(/x/, '$&$&'), /[\\p{L}]+/u.exec('123abc')[0]];",
            """["2024","02",3,[["1",1],["22",3],["333",6]],"9.99",true,true,false,"29/02/2024",["a","b","c"],"xx","abc"]"""),
        Lang("LANG-028", "string methods: padding, trimming, replaceAll, code points and normalization",
            "return ['5'.padStart(3, '0'), 'ab'.padEnd(5, '-'), '  x  '.trimEnd() + '|', 'a-b-c'.replaceAll('-', '+'), [...'😀a'].length, '😀'.length, '😀'.codePointAt(0), String.fromCodePoint(128512) === '😀',\n"
            + "  'e\\u0301'.normalize('NFC') === '\\u00e9', 'Straße'.toUpperCase(), 'abc'.at(-1), 'a,b'.split(','), 'x'.repeat(3), 'Hello'.startsWith('He'), 'abc'.localeCompare('abd')];",
            """["005","ab---","  x|","a+b+c",2,2,128512,true,true,"STRASSE","c",["a","b"],"xxx",true,-1]"""),
        Lang("LANG-029", "typed arrays, ArrayBuffer and DataView",
            "const buf = new ArrayBuffer(8);\nconst view = new DataView(buf);\nview.setUint16(0, 0x1234);\nview.setFloat32(4, 1.5, true);\nconst bytes = new Uint8Array(buf);\n"
            + "const clamped = Uint8ClampedArray.from([300, -5, 1.5]);\nreturn [Array.from(bytes.slice(0, 2)), view.getFloat32(4, true), Array.from(clamped), new Int16Array([70000])[0], Float64Array.BYTES_PER_ELEMENT];",
            "[[18,52],1.5,[255,0,2],4464,8]"),
        Lang("LANG-030", "Symbols: well-known symbols, registry, description and toPrimitive",
            "const money = { [Symbol.toPrimitive](hint) { return hint === 'number' ? 42 : 'forty-two'; } };\nconst tagged = { get [Symbol.toStringTag]() { return 'Tagged'; } };\n"
            + "return [+money, `${money}`, Object.prototype.toString.call(tagged), Symbol.for('a') === Symbol.for('a'), Symbol('d').description, typeof Symbol.iterator];",
            """[42,"forty-two","[object Tagged]",true,"d","symbol"]"""),
        Lang("LANG-031", "Object.groupBy and Map.groupBy", 
            "const items = [{ t: 'a', v: 1 }, { t: 'b', v: 2 }, { t: 'a', v: 3 }];\nconst o = Object.groupBy(items, i => i.t);\nconst m = Map.groupBy(items, i => i.v % 2 ? 'odd' : 'even');\n"
            + "return [Object.getPrototypeOf(o) === null, o.a.map(i => i.v), o.b.length, [...m.keys()], m.get('odd').length];",
            """[true,[1,3],1,["odd","even"],2]""") with { RequiresFeature = LanguageFeature.GroupBy },
        Lang("LANG-032", "structuredClone copies deeply, keeps Dates, Maps and cycles",
            "const src = { d: new Date(0), m: new Map([[1, { x: 1 }]]), list: [1, [2]] };\nsrc.self = src;\nconst c = structuredClone(src);\nc.list[1].push(3);\n"
            + "return [c !== src, c.self === c, c.d instanceof Date, c.d.getTime(), c.m.get(1).x, src.list[1].length, c.list[1].length];",
            "[true,true,true,0,1,1,2]") with { RequiresFeature = LanguageFeature.StructuredClone },
        Lang("LANG-033", "Intl.NumberFormat basics (en-US grouping, currency, percent)",
            "return [new Intl.NumberFormat('en-US').format(1234567.891), new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234.5),\n"
            + "  new Intl.NumberFormat('en-US', { style: 'percent' }).format(0.256), new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(2.5)];",
            """["1,234,567.891","$1,234.50","26%","3"]""") with { RequiresFeature = LanguageFeature.IntlNumberFormat },
        Lang("LANG-034", "JSON.parse of data nested 100 levels deep",
            "const text = '['.repeat(100) + '1' + ']'.repeat(100);\nlet v = JSON.parse(text);\nlet depth = 0;\nwhile (Array.isArray(v)) { v = v[0]; depth++; }\nreturn [depth, v, JSON.stringify(JSON.parse(text)) === text];",
            "[100,1,true]"),
        Lang("LANG-035", "array holes, length and sparse iteration",
            "const a = [1, , 3];\na[10] = 11;\nconst seen = [];\na.forEach((v, i) => seen.push(i));\nreturn [a.length, seen, 1 in a, Object.keys(a), Array.from({ length: 3 }, (_, i) => i * i), Array.of(7).length];",
            """[11,[0,2,10],false,["0","2","10"],[0,1,4],1]"""),
    ];
}
