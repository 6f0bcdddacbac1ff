using System.Globalization;
using System.Text;
using System.Text.Json;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The one-step allocators of <see cref="OneStepAllocators.All"/>, guarded in each V8 engine before any script runs.
/// V8's memory limit is sampled (<c>V8Runtime.MaxHeapSize</c>), and a single native call can allocate gigabytes, or
/// run for seconds in native code that no interrupt reaches, between two samples: <c>new Array(2 ** 28).fill(1.5)</c>
/// grew a host past 1.4 GB and aborted it (<c>Fatal JavaScript out of memory</c>), which no exception can catch. Each
/// guard estimates the call from its converted inputs, as <see cref="OneStepAllocators.Units"/> does, and refuses
/// it when the estimate passes the script's memory limit: the host is told (<c>refuse(target, units)</c>, which
/// records the refusal and terminates the script: <c>memory_limit</c>, whatever the script catches), then the guard
/// throws a RangeError.
/// </summary>
/// <remarks>
/// <para>
/// The source evaluates, once per engine while it is prepared, to <c>arm(memoryBytes, refuse)</c>, which the adapter
/// calls first thing for each script (before the prelude captures <c>JSON</c>, so the prelude's own marshalling of
/// tool arguments, console values and the return value is bounded too). Guards are methods whose text is in this
/// source, which the lockdown hides (<c>function repeat() { [native code] }</c>); they have the original's name and
/// length, no prototype, and cannot be constructed. The originals stay in this closure only.
/// </para>
/// <para>
/// Each guard converts the inputs as the built-in would and calls the original with the converted primitives, so a
/// conversion runs once. Where the size depends on an object's <c>length</c>, it is read once more by the original
/// (observable only through a getter). <c>join</c> reads and converts each element itself, once, and joins the
/// texts natively (cycles join as empty, as V8 does); <c>JSON.stringify</c> runs with a counting replacer that calls
/// the script's replacer, or applies its property list. The buffer entries (<see cref="OneStepMeasure.BufferBytes"/>)
/// are not wrapped: the runtime's ArrayBuffer allocator is capped at the memory limit (<c>V8Isolate</c>) and resizable
/// buffers reserve their maximum from it (<c>V8Lockdown.Adapter</c>), both refusing before they allocate.
/// </para>
/// </remarks>
internal static class V8OneStepGuards
{
    public const string SourceName = "guards";

    /// <summary>The entries wrapped here: every one but the buffers V8 refuses natively.</summary>
    public static IReadOnlyList<OneStepAllocator> Wrapped { get; } =
        [.. OneStepAllocators.All.Where(a => a.Measure != OneStepMeasure.BufferBytes)];

    /// <summary>
    /// The length of each wrapped built-in (the spec's, as V8 has it): its guard is written with as many parameters, so
    /// no guard needs its length redefined while an engine is prepared. A built-in missing here still gets a guard of
    /// its own length, redefined at run time.
    /// </summary>
    internal static IReadOnlyDictionary<string, int> Lengths { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["String.prototype.repeat"] = 1, ["String.prototype.padStart"] = 1, ["String.prototype.padEnd"] = 1,
        ["String.prototype.split"] = 2, ["String.prototype.replace"] = 2, ["String.prototype.replaceAll"] = 2,
        ["String.prototype.normalize"] = 0, ["String.prototype.toUpperCase"] = 0, ["String.prototype.toLowerCase"] = 0,
        ["String.prototype.toLocaleUpperCase"] = 0, ["String.prototype.toLocaleLowerCase"] = 0, ["String.prototype.localeCompare"] = 1,
        ["String.raw"] = 1, ["Array.prototype.join"] = 1, ["Array.prototype.toLocaleString"] = 0, ["%TypedArray%.prototype.join"] = 1,
        ["Array.prototype.fill"] = 1, ["Array.prototype.toReversed"] = 0, ["Array.prototype.toSorted"] = 1, ["Array.prototype.toSpliced"] = 2,
        ["Array.prototype.with"] = 2, ["Array.from"] = 1, ["Object.keys"] = 1, ["Object.values"] = 1, ["Object.entries"] = 1,
        ["Object.getOwnPropertyNames"] = 1, ["Reflect.ownKeys"] = 1, ["JSON.stringify"] = 3, ["JSON.parse"] = 2,
        ["Intl.Segmenter.prototype.segment"] = 1,
    };

    public static readonly string Source = """
(function (entries) {
  'use strict';
  const G = globalThis, O = Object, R = Reflect, apply = R.apply;
  const defineProperty = O.defineProperty, getOwn = O.getOwnPropertyDescriptor, getProto = O.getPrototypeOf;
  const isArray = Array.isArray, trunc = Math.trunc, floor = Math.floor, min = Math.min, max = Math.max;
  const RangeErrorCtor = RangeError, ArrayCtor = Array, ObjectCtor = Object;
  const indexOf = String.prototype.indexOf, arrayIndexOf = Array.prototype.indexOf, nativeJoin = Array.prototype.join, push = Array.prototype.push;
  const typedLength = getOwn(getProto(Int8Array).prototype, 'length').get, isView = ArrayBuffer.isView;
  let budget = Infinity;
  let refuse = null;
  const joining = [];

  function str(v) { return `${v}`; }
  function integer(v) { const n = +v; return n !== n ? 0 : trunc(n); }
  function toLength(v) { const n = integer(v); return n <= 0 ? 0 : min(n, 9007199254740991); }
  function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
  // A typed array's length; undefined for anything else (a DataView is a view too, and throws here).
  function typed(v) {
    if (!isObject(v) || !isView(v)) return undefined;
    try { return apply(typedLength, v, []); } catch (e) { return undefined; }
  }
  function lengthOf(v) {
    if (typeof v === 'string') return v.length;
    if (!isObject(v)) return 0;
    const t = typed(v);
    return t !== undefined ? t : toLength(v.length);
  }
  function count(s, search, from) {
    let n = 0;
    for (let i = apply(indexOf, s, [search, from]); i !== -1; i = apply(indexOf, s, [search, i + search.length])) n++;
    return n;
  }
  // OneStepAllocators.Units, the same arithmetic.
  function units(measure, a, b, c, d) {
    let u;
    switch (measure) {
      case 'Repeat': u = a * b; break;
      case 'PadTarget': u = b > a ? b : 0; break;
      case 'SplitPieces': u = min(c, b < 0 ? 1 : b === 0 ? a : floor(a / b) + 1); break;
      case 'Replacement': u = a + b * (c + d * a); break;
      case 'Join': u = max(0, a - 1) * b + c; break;
      case 'FillRange': u = b - a; break;
      case 'JsonValues': u = a + 32 * b; break;
      default: u = a;
    }
    return u !== u || u < 0 ? 0 : u;
  }
  function check(e, u) {
    if (u * e.bytes > budget) {
      if (refuse !== null) refuse(e.target, u);
      throw new RangeErrorCtor(e.target + ' would allocate more than the memory limit allows');
    }
  }
  function relative(v, length, fallback) {
    if (v === undefined) return fallback;
    const n = integer(v);
    return n < 0 ? max(length + n, 0) : min(n, length);
  }
  // What a value writes at least: its key (an element's comma is counted with its array), its own text, and for an
  // array a character per element (V8 walks a sparse array's holes in native code before any replacer sees them).
  function written(holder, key, item) {
    const k = isArray(holder) ? 0 : (typeof key === 'string' ? key.length : 0) + 3;
    const t = typeof item;
    return k + (t === 'string' ? item.length + 2 : t === 'number' ? 1 : t === 'boolean' || item == null ? 4 : isArray(item) ? 2 + item.length : 2);
  }
  function propertyList(list) {
    const keys = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      let name;
      if (typeof item === 'string') name = item;
      else if (typeof item === 'number' || (isObject(item) && (item instanceof String || item instanceof Number))) name = str(item);
      let seen = name === undefined;
      for (let j = 0; j < keys.length && !seen; j++) seen = keys[j] === name;
      if (!seen) apply(push, keys, [name]);
    }
    return keys;
  }
  function pick(source, keys) {
    const copy = {};
    for (let i = 0; i < keys.length; i++) {
      const item = source[keys[i]];
      if (item !== undefined) defineProperty(copy, keys[i], { value: item, writable: true, enumerable: true, configurable: true });
    }
    return copy;
  }

  const measures = {
    __proto__: null,
    Repeat(e, f, t, a) {
      const s = str(t), n = integer(a[0]);
      check(e, units('Repeat', s.length, n));
      return apply(f, s, [n]);
    },
    PadTarget(e, f, t, a) {
      const s = str(t), n = toLength(a[0]);
      if (a[1] !== '') check(e, units('PadTarget', s.length, n));
      return apply(f, s, [n, a[1]]);
    },
    SplitPieces(e, f, t, a) {
      if (isObject(a[0])) return apply(f, t, a);
      const s = str(t), limit = a[1] === undefined ? 4294967295 : a[1] >>> 0;
      const sep = a[0] === undefined ? undefined : str(a[0]);
      check(e, units('SplitPieces', s.length, sep === undefined ? -1 : sep.length, limit));
      return apply(f, s, [sep, limit]);
    },
    Replacement(e, f, t, a) {
      if (isObject(a[0]) || typeof a[1] === 'function') return apply(f, t, a);
      const s = str(t), search = str(a[0]), r = str(a[1]), all = e.name === 'replaceAll';
      const dollars = count(r, '$', 0);
      let matches = search.length === 0 ? (all ? s.length + 1 : 1) : all ? floor(s.length / search.length) : 1;
      if (units('Replacement', s.length, matches, r.length, dollars) * e.bytes > budget) {
        matches = search.length === 0 ? matches : all ? count(s, search, 0) : (apply(indexOf, s, [search, 0]) === -1 ? 0 : 1);
        check(e, units('Replacement', s.length, matches, r.length, dollars));
      }
      return apply(f, s, [search, r]);
    },
    ReceiverText(e, f, t, a) {
      const s = str(t);
      check(e, units('ReceiverText', s.length));
      return apply(f, s, a);
    },
    ArgumentText(e, f, t, a) {
      const s = str(a[0]);
      check(e, units('ArgumentText', s.length));
      return apply(f, t, [s]);
    },
    Join(e, f, t, a) {
      const o = ObjectCtor(t), length = lengthOf(o);
      // toLocaleString takes locales, not a separator; a typed array's elements write a character at least.
      if (e.name === 'toLocaleString') { check(e, units('Join', length, 1, 0)); return apply(f, t, a); }
      const sep = a[0] === undefined ? ',' : str(a[0]);
      if (typed(o) !== undefined) { check(e, units('Join', length, sep.length, length)); return apply(f, t, [sep]); }
      check(e, units('Join', length, sep.length, 0));
      if (length === 0 || apply(arrayIndexOf, joining, [o, 0]) !== -1) return '';
      apply(push, joining, [o]);
      try {
        const parts = new ArrayCtor(length);
        let chars = 0;
        for (let i = 0; i < length; i++) {
          const item = o[i];
          const s = item == null ? '' : str(item);
          chars += s.length;
          if (units('Join', length, sep.length, chars) * e.bytes > budget) check(e, units('Join', length, sep.length, chars));
          parts[i] = s;
        }
        return apply(nativeJoin, parts, [sep]);
      } finally {
        joining.length--;
      }
    },
    FillRange(e, f, t, a) {
      const o = ObjectCtor(t), length = lengthOf(o);
      const start = relative(a[1], length, 0), end = relative(a[2], length, length);
      check(e, units('FillRange', start, end));
      return apply(f, t, [a[0], start, end]);
    },
    ReceiverElements(e, f, t, a) {
      check(e, units('ReceiverElements', lengthOf(ObjectCtor(t))));
      return apply(f, t, a);
    },
    ArgumentElements(e, f, t, a) {
      check(e, units('ArgumentElements', lengthOf(a[0])));
      return apply(f, t, a);
    },
    OwnKeys(e, f, t, a) {
      const v = a[0];
      check(e, units('OwnKeys', isArray(v) || typed(v) !== undefined ? lengthOf(v) : 0));
      return apply(f, t, a);
    },
    RawLiterals(e, f, t, a) {
      if (isObject(a[0])) check(e, units('RawLiterals', lengthOf(a[0].raw)));
      return apply(f, t, a);
    },
    JsonText(e, f, t, a) {
      const replacer = a[1], space = a[2];
      const fn = typeof replacer === 'function' ? replacer : null;
      const keys = fn === null && isArray(replacer) ? propertyList(replacer) : null;
      const indent = typeof space === 'number' ? min(10, max(0, integer(space))) : typeof space === 'string' ? min(10, space.length) : 0;
      let chars = 0;
      function counting(key, item) {
        if (fn !== null) item = apply(fn, this, [key, item]);
        else if (keys !== null && isObject(item) && typeof item !== 'function' && !isArray(item)) item = pick(item, keys);
        // A typed array is written key by key, and V8 lists all its keys first: count them before it does.
        const t = typed(item);
        chars += written(this, key, item) + indent + (t !== undefined ? t * 4 : 0);
        if (chars * e.bytes > budget) check(e, chars);
        return item;
      }
      return apply(f, t, [a[0], counting, space]);
    },
    JsonValues(e, f, t, a) {
      const s = str(a[0]);
      if (units('JsonValues', s.length, s.length) * e.bytes > budget) check(e, units('JsonValues', s.length, count(s, '[', 0) + count(s, '{', 0)));
      return apply(f, t, [s, a[1]]);
    },
  };

  // The object at a path of property names from the global; undefined where the path breaks.
  function owner(parts) {
    if (parts.length === 0) return G;
    let o = parts[0] === '%TypedArray%' ? getProto(Int8Array) : G[parts[0]];
    for (let i = 1; i < parts.length && isObject(o); i++) o = o[parts[i]];
    return o;
  }
  // The originals by entry index. A guard exists only once its original is stored, so no read of it meets a hole
  // (which would look up Array.prototype, the script's to change).
  const originals = [];
  function put(holder, i, guard) {
    const e = entries[i];
    if (measures[e.measure] === undefined) throw new RangeErrorCtor('no guard for the measure ' + e.measure);
    const d = isObject(holder) ? getOwn(holder, e.name) : undefined;
    if (d === undefined || typeof d.value !== 'function') return;
    const f = d.value;
    originals[i] = f;
    // Written with the original's parameters (Lengths); a built-in of another length still shows its own.
    if (guard.length !== f.length) defineProperty(guard, 'length', { value: f.length, writable: false, enumerable: false, configurable: true });
    // Assigning keeps the original's attributes, and costs less than defining them again.
    if (d.writable) holder[e.name] = guard;
    else defineProperty(holder, e.name, { value: guard, writable: false, enumerable: d.enumerable, configurable: d.configurable });
  }
/*Installs*/
  return function arm(memoryBytes, hostRefuse) { budget = memoryBytes; refuse = hostRefuse; };
})(
""".Replace("/*Installs*/", Installs(), StringComparison.Ordinal)
        + JsonSerializer.Serialize(Wrapped.Select(a => new { target = a.Target, name = a.Name, measure = a.Measure.ToString(), bytes = a.BytesPerUnit }))
        + ")";

    /// <summary>
    /// The guards as methods of one object literal per owner, each calling its measure with its entry, its original, the
    /// receiver and the arguments (a prototype method on null or undefined calls the original, which throws its own
    /// TypeError), then installed in the entries' order. Written out here rather than made in a loop: preparing an engine made 30
    /// closures from computed-name literals, and split an owner path, redefined a length and defined the property anew
    /// for each (the guards took 113-141 µs of each context, against 73-81 µs written out; a probe on one runtime,
    /// 1,500 contexts a round, alternating).
    /// </summary>
    private static string Installs()
    {
        var text = new StringBuilder();
        var owners = Wrapped.Select(a => a.Owner).Distinct(StringComparer.Ordinal).ToList();
        for (var k = 0; k < owners.Count; k++)
        {
            var methods = Wrapped.Select((a, i) => (a, i)).Where(x => x.a.Owner == owners[k]).ToList();
            text.Append(CultureInfo.InvariantCulture, $"  const holder{k} = owner({JsonSerializer.Serialize(owners[k].Length == 0 ? [] : owners[k].Split('.'))}), methods{k} = {{\n");
            foreach (var (a, i) in methods)
            {
                var parameters = string.Join(", ", Enumerable.Range(0, Lengths.GetValueOrDefault(a.Target)).Select(n => "a" + n.ToString(CultureInfo.InvariantCulture)));
                // Each guard calls its own measure: a call site that sees one function, as when each guard was a closure over it.
                var n = i.ToString(CultureInfo.InvariantCulture);
                var measure = $"measures.{a.Measure}(entries[{n}], originals[{n}], this, arguments)";
                text.Append(a.Owner.EndsWith(".prototype", StringComparison.Ordinal)
                    ? $"    {a.Name}({parameters}) {{ return this == null ? apply(originals[{n}], this, arguments) : {measure}; }},\n"
                    : $"    {a.Name}({parameters}) {{ return {measure}; }},\n");
            }

            text.Append("  };\n");
            foreach (var (a, i) in methods)
            {
                text.Append(CultureInfo.InvariantCulture, $"  put(holder{k}, {i}, methods{k}.{a.Name});\n");
            }
        }

        return text.ToString();
    }
}
