using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines;

/// <summary>
/// For every entry of <see cref="OneStepAllocators.All"/>, a call that would allocate gigabytes from a small input
/// (under a 16 MiB limit), and calls of the same built-ins that must keep working exactly as before.
/// </summary>
internal static class OneStepCalls
{
    public static readonly ScriptLimits Limits = ScriptLimits.Default with { MemoryBytes = 16L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The huge call of each target; every entry of the catalogue has one (a test checks).</summary>
    public static readonly IReadOnlyDictionary<string, string> Huge = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["String.prototype.repeat"] = "'ab'.repeat(2 ** 28)",
        ["String.prototype.padStart"] = "'a'.padStart(2 ** 29 - 24, 'b')",
        ["String.prototype.padEnd"] = "'a'.padEnd(2 ** 29 - 24)",
        ["String.prototype.split"] = "'abcd'.repeat(2 ** 19).split('')",
        ["String.prototype.replace"] = "'x'.repeat(2 ** 20).replace('x', \"$'\".repeat(8))",
        ["String.prototype.replaceAll"] = "'abcd'.repeat(2 ** 12).replaceAll('a', 'z'.repeat(2 ** 12))",
        ["String.prototype.normalize"] = "'\\u00e9'.repeat(2 ** 22).normalize('NFD')",
        ["String.prototype.toUpperCase"] = "'\\u00df'.repeat(2 ** 22).toUpperCase()",
        ["String.prototype.toLowerCase"] = "'A'.repeat(2 ** 22).toLowerCase()",
        ["String.prototype.toLocaleUpperCase"] = "'a'.repeat(2 ** 22).toLocaleUpperCase()",
        ["String.prototype.toLocaleLowerCase"] = "'A'.repeat(2 ** 22).toLocaleLowerCase()",
        ["String.prototype.localeCompare"] = "'a'.repeat(5e6).localeCompare('b')",
        ["String.raw"] = "String.raw({ raw: { length: 2 ** 27 } })",
        ["Array.prototype.join"] = "new Array(100000).join('z'.repeat(1000))",
        ["Array.prototype.toLocaleString"] = "new Array(2 ** 27).toLocaleString()",
        ["%TypedArray%.prototype.join"] = "new Uint8Array(2 ** 20).join('z'.repeat(100))",
        ["Array.prototype.fill"] = "Array.prototype.fill.call({ length: 2 ** 27 }, 0)",
        ["Array.prototype.toReversed"] = "Array.prototype.toReversed.call({ length: 2 ** 27 })",
        ["Array.prototype.toSorted"] = "Array.prototype.toSorted.call({ length: 2 ** 27 })",
        ["Array.prototype.toSpliced"] = "Array.prototype.toSpliced.call({ length: 2 ** 27 })",
        ["Array.prototype.with"] = "Array.prototype.with.call({ length: 2 ** 27 }, 0, 1)",
        ["Array.from"] = "Array.from({ length: 2 ** 27 })",
        ["Object.keys"] = "Object.keys(new Uint8Array(2 ** 23))",
        ["Object.values"] = "Object.values(new Uint8Array(2 ** 23))",
        ["Object.entries"] = "Object.entries(new Uint8Array(2 ** 23))",
        ["Object.getOwnPropertyNames"] = "Object.getOwnPropertyNames(new Uint8Array(2 ** 23))",
        ["Reflect.ownKeys"] = "Reflect.ownKeys(new Uint8Array(2 ** 23))",
        ["JSON.stringify"] = "JSON.stringify(new Array(100000).fill('z'.repeat(1000)))",
        ["JSON.parse"] = "JSON.parse('['.repeat(2 ** 20))",
        ["Intl.Segmenter.prototype.segment"] = "new Intl.Segmenter('en').segment('ab'.repeat(2 ** 20))",
        ["ArrayBuffer"] = "new ArrayBuffer(2 ** 30)",
        ["ArrayBuffer.prototype.resize"] = "new ArrayBuffer(0, { maxByteLength: 2 ** 30 }).resize(2 ** 30)",
        ["ArrayBuffer.prototype.transfer"] = "new ArrayBuffer(8, { maxByteLength: 2 ** 30 }).transfer(2 ** 30)",
        ["ArrayBuffer.prototype.transferToFixedLength"] = "new ArrayBuffer(8).transferToFixedLength(2 ** 30)",
        ["Int8Array"] = "new Int8Array(2 ** 30)",
        ["Uint8Array"] = "new Uint8Array(2 ** 30)",
        ["Uint8ClampedArray"] = "new Uint8ClampedArray(2 ** 30)",
        ["Int16Array"] = "new Int16Array(2 ** 29)",
        ["Uint16Array"] = "new Uint16Array(2 ** 29)",
        ["Int32Array"] = "new Int32Array(2 ** 28)",
        ["Uint32Array"] = "new Uint32Array(2 ** 28)",
        ["Float32Array"] = "new Float32Array(2 ** 28)",
        ["Float64Array"] = "new Float64Array(2 ** 27)",
        ["BigInt64Array"] = "new BigInt64Array(2 ** 27)",
        ["BigUint64Array"] = "new BigUint64Array(2 ** 27)",
    };

    /// <summary>The limits of <see cref="Marshalled"/>: a 50 MB typed array fits, its JSON does not.</summary>
    public static readonly ScriptLimits MarshalLimits = ScriptLimits.Default with { MemoryBytes = 64L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>
    /// Values the host marshals for the script — tool arguments, the return value, console arguments — that would be
    /// gigabytes of JSON (issue 17.3): each must end the script with <c>memory_limit</c> before it is written.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Marshalled = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sparse tool argument"] = "const a = [];\na.length = 2 ** 32 - 1;\nreturn await tools.t.echo({ a });",
        ["proxied sparse tool argument"] = "const a = [];\na.length = 2 ** 32 - 1;\nreturn await tools.t.echo({ a: new Proxy(a, {}) });",
        ["shared long strings tool argument"] = "const s = 'x'.repeat(2 ** 20);\nreturn await tools.t.echo({ a: new Array(1000).fill(s) });",
        ["proxied sparse return value"] = "const a = [];\na.length = 2 ** 32 - 1;\nreturn [new Proxy(a, {})];",
        ["typed tool argument"] = "return await tools.t.echo({ bytes: new Uint8Array(50e6) });",
        ["sparse return value"] = "const a = [];\na.length = 2 ** 32 - 1;\nreturn { a };",
        ["typed return value"] = "return new Uint8Array(50e6);",
        ["sparse console argument"] = "const a = [];\na.length = 2 ** 32 - 1;\nconsole.log('a', a);\nreturn 'logged';",
        ["sparse progress message"] = "const a = [];\na.length = 2 ** 32 - 1;\ncontext.progress(a);\nreturn 'reported';",
        ["typed progress message"] = "context.progress(new Uint8Array(50e6));\nreturn 'reported';",
        ["sparse console argument without JSON"] = "const a = [1n];\na.length = 2 ** 32 - 1;\nconsole.log(a);\nreturn 'logged';",
        ["typed console argument"] = "console.log(new Uint8Array(50e6));\nreturn 'logged';",
    };

    /// <summary>Ordinary calls of the guarded built-ins, and what they return on every engine.</summary>
    public const string Ordinary = """
        const a = [3, 1, 2];
        const cyclic = [1]; cyclic.push(cyclic);
        class Bytes extends Uint8Array {}
        const b = new Bytes(3);
        return [
          'ab'.repeat(3), 'x'.padStart(4, '-'), 'x'.padEnd(3), 'a,b,,c'.split(','), 'a-b-c'.split('-', 2), 'abc'.split(''),
          'aXbX'.replace('X', '$&$&'), 'aXbX'.replaceAll('X', 'y'), 'a.b'.replace(/\./, '!'), 'aaa'.replaceAll(/a/g, (m, i) => i),
          '\u00e9'.normalize('NFD').length, 'stra\u00dfe'.toUpperCase(), 'ABC'.toLowerCase(), 'b'.localeCompare('a'),
          a.join(), a.join('-'), [null, undefined, 1].join(), cyclic.join(), String([1, [2, 3]]),
          [1, 2, 3].fill(0, 1), a.toSorted(), a.toReversed(), a.with(0, 9), a.toSpliced(0, 1), a,
          Array.from('abc'), Array.from({ length: 2 }, (_, i) => i * 2), Array.from(new Set([1, 1, 2])),
          JSON.stringify({ a: [1, 'x', null], b: { c: true } }), JSON.stringify([1, 2], null, 1), JSON.stringify({ a: 1, b: 2 }, ['b']),
          JSON.stringify({ toJSON() { return 'j'; } }), JSON.parse('{"a":[1,{"b":2}]}'), JSON.parse('[1,2]', (k, v) => typeof v === 'number' ? v * 10 : v),
          [...new Intl.Segmenter('en').segment('ab')].map(s => s.segment),
          new ArrayBuffer(8).byteLength, new Uint8Array([1, 2, 3]).length, Uint8Array.from([1, 2]).length, new Float64Array(2).length,
          b instanceof Uint8Array, b.constructor === Bytes, new Uint8Array(1).constructor === Uint8Array,
          new Uint8Array(1).buffer.constructor === ArrayBuffer, new Int16Array(new Uint8Array([1, 2])).length,
          String.raw`a${1}b`, [1, 'b'].toLocaleString(), new Uint8Array([1, 2]).join('-'), Object.keys({ x: 1, y: 2 }),
          Object.values([5]), Object.entries({ k: 'v' }), Object.getOwnPropertyNames([7]), Reflect.ownKeys({ z: 1 }),
          ''.repeat.name, ''.repeat.length, [].join.length, JSON.stringify.length, Array.from.length, String(''.padEnd),
          Object.getOwnPropertyDescriptor(String.prototype, 'repeat').enumerable, 'prototype' in ''.repeat,
        ];
        """;

    /// <summary>What <see cref="Ordinary"/> returns.</summary>
    public const string OrdinaryResult = """
        ["ababab","---x","x  ",["a","b","","c"],["a","b"],["a","b","c"],"aXXbX","ayby","a!b","012",2,"STRASSE","abc",1,"3,1,2","3-1-2",",,1","1,","1,2,3",[1,0,0],[1,2,3],[2,1,3],[9,1,2],[1,2],[3,1,2],["a","b","c"],[0,2],[1,2],"{\"a\":[1,\"x\",null],\"b\":{\"c\":true}}","[\n 1,\n 2\n]","{\"b\":2}","\"j\"",{"a":[1,{"b":2}]},[10,20],["a","b"],8,3,2,2,true,true,true,true,2,"a1b","1,b","1-2",["x","y"],[5],[["k","v"]],["0","length"],["z"],"repeat",1,1,3,1,"function padEnd() { [native code] }",false,false]
        """;
}
