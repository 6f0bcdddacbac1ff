using System.Text.Json;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The V8-only JavaScript that runs in every engine before the shared prelude (<c>SandboxPrelude</c>), and the small
/// adapter that gives the prelude its host functions. Neither is reachable from the script.
/// </summary>
internal static class V8Lockdown
{
    public const string LockdownSourceName = "lockdown";

    public const string AdapterSourceName = "adapter";

    /// <summary>
    /// Locks what only V8 and ClearScript add, and evaluates to whether code generation from strings is blocked (the
    /// process flag; a sandbox refuses to run otherwise).
    /// ClearScript's <c>EngineInternal</c> is frozen, non-writable and non-configurable: it cannot be removed. It holds
    /// helpers that only act on the values they are given, and one mutable object, frozen here.
    /// V8's CallSite API (<c>Error.prepareStackTrace</c>) would hand a script the functions on its stack: fixed to a
    /// formatter of the lockdown's own that keeps the script's frames only (no prelude or adapter frame in a stack),
    /// and never gives a CallSite to script code. <c>Function.prototype.toString</c> shows the functions of the
    /// prelude, adapter and lockdown (found by their text in those sources) as <c>function name() { [native code] }</c>.
    /// </summary>
    public static readonly string Source = """
(function (hiddenSources) {
  'use strict';
  const O = Object;
  if (typeof EngineInternal === 'object' && EngineInternal !== null) {
    const holder = EngineInternal.commandHolder;
    if (holder !== null && typeof holder === 'object') O.freeze(holder);
  }
  const apply = Reflect.apply;
  const errorToString = Error.prototype.toString;
  const fnToString = Function.prototype.toString;
  const join = Array.prototype.join;
  const push = Array.prototype.push;
  const startsWith = String.prototype.startsWith;
  const includes = String.prototype.includes;
  const Str = String;
  function fromScript(site) {
    const file = site.getFileName();
    return typeof file === 'string' && (file === 'script' || apply(startsWith, file, ['script ']));
  }
  // Stacks show the script's frames only, formatted as V8 does; the script never receives a CallSite.
  function prepareStackTrace(error, sites) {
    let head;
    try { head = apply(errorToString, error, []); } catch (e) { head = 'Error'; }
    const lines = [head];
    for (let i = 0; i < sites.length; i++) {
      if (fromScript(sites[i])) apply(push, lines, ['    at ' + Str(sites[i])]);
    }
    return apply(join, lines, ['\n']);
  }
  O.defineProperty(Error, 'prepareStackTrace', { value: prepareStackTrace, writable: false, enumerable: false, configurable: false });
  // The prelude's, adapter's and lockdown's functions read as native code, like the host functions of other engines.
  function toString() {
    const text = apply(fnToString, this, []);
    if (this === toString || this === prepareStackTrace) return 'function ' + this.name + '() { [native code] }';
    for (let i = 0; text.length >= 20 && i < hiddenSources.length; i++) {
      if (apply(includes, hiddenSources[i], [text])) {
        let name = '';
        try { const n = O.getOwnPropertyDescriptor(this, 'name'); if (n && typeof n.value === 'string') name = n.value; } catch (e) { }
        return 'function ' + name + '() { [native code] }';
      }
    }
    return text;
  }
  O.defineProperty(Function.prototype, 'toString', { value: toString, writable: true, enumerable: false, configurable: true });
  // EngineInternal cannot leave the global (non-configurable; ClearScript looks it up there): globalThis becomes a view
  // of the global without it. The view's target mirrors the global's non-configurable properties, as proxies require.
  const real = globalThis;
  const R = Reflect;
  const hidden = 'EngineInternal';
  const target = O.create(null);
  function mirror(k) {
    const d = R.getOwnPropertyDescriptor(real, k);
    if (d !== undefined && !d.configurable && R.getOwnPropertyDescriptor(target, k) === undefined) R.defineProperty(target, k, d);
    return d;
  }
  const view = new Proxy(target, {
    __proto__: null,
    get(t, k, r) { return k === hidden ? undefined : R.get(real, k, r === view ? real : r); },
    set(t, k, v, r) { return R.set(real, k, v, r === view ? real : r); },
    has(t, k) { return k !== hidden && R.has(real, k); },
    deleteProperty(t, k) { return k === hidden ? true : R.deleteProperty(real, k); },
    ownKeys(t) {
      const keys = R.ownKeys(real);
      const out = [];
      for (let i = 0; i < keys.length; i++) if (keys[i] !== hidden) { mirror(keys[i]); apply(push, out, [keys[i]]); }
      return out;
    },
    getOwnPropertyDescriptor(t, k) { return k === hidden ? undefined : mirror(k); },
    defineProperty(t, k, d) {
      if (k === hidden) return false;
      const ok = R.defineProperty(real, k, d);
      if (ok) mirror(k);
      return ok;
    },
    getPrototypeOf(t) { return R.getPrototypeOf(real); },
    setPrototypeOf(t, p) { return R.setPrototypeOf(real, p); },
    isExtensible(t) { return R.isExtensible(t); },
    preventExtensions(t) {
      const keys = R.ownKeys(real);
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] !== hidden && R.getOwnPropertyDescriptor(target, keys[i]) === undefined) R.defineProperty(target, keys[i], R.getOwnPropertyDescriptor(real, keys[i]));
      }
      return R.preventExtensions(real) && R.preventExtensions(t);
    },
  });
  O.defineProperty(real, 'globalThis', { value: view, writable: true, enumerable: false, configurable: true });
  try { (function () {}).constructor('return 1'); return false; } catch (e) { return e instanceof EvalError; }
})(
""" + JsonSerializer.Serialize(new[] { SandboxPrelude.Source, Adapter, V8OneStepGuards.Source }) + ")";

    /// <summary>
    /// Evaluates to <c>(prelude, rawCall, hostLog, hostProgress, hostDone, arm, hostRefuse, expectedToolNamesJson,
    /// expectedContextJson) → start</c>, called once while the engine is prepared, before any script: it installs the
    /// guarded constructors below and runs the prelude's script-independent step (<c>SandboxPrelude</c>), with what the
    /// script is expected to have (empty strings for nothing). <c>start(script, toolNamesJson, contextJson,
    /// memoryBytes) → settle</c> is called once per engine, for its one script: it arms the engine's one-step guards
    /// (<see cref="V8OneStepGuards"/>) with the script's memory limit, binds the prelude to the script's tools and
    /// context, starts the script, and returns <c>settle(id, envelope)</c>.
    /// <c>rawCall(id, name, argsJson)</c> is the host's call; the adapter turns it into the promise the prelude
    /// expects. A call that completed at once returns its envelope text and is resolved in place (a tool-heavy script
    /// then runs inside one host→V8 call); otherwise it returns undefined and the host later settles call <c>id</c>
    /// with its envelope text through <c>settle</c>.
    /// The resolvers live in a null-prototype object, so prototype changes by the script cannot reach them.
    /// <c>FinalizationRegistry</c> is the one way a script's code can run after the script ended (V8 runs cleanup
    /// callbacks as tasks of the runtime, later, in whichever script then holds it, or on another thread): the
    /// constructor is replaced by a proxy that tells the host (<c>hostLog(-1)</c>, once) and wraps each callback so it
    /// does nothing once the host has called <c>settle(-1)</c> at the end of the run. The host then retires the runtime.
    /// A resizable <c>ArrayBuffer</c> reserves its <c>maxByteLength</c> outside the runtime's ArrayBuffer allocator,
    /// so its cap does not see <c>resize</c>: the constructor is replaced by a proxy that lets the script's resizable
    /// buffers reserve at most <c>memoryBytes</c> in all (each <c>maxByteLength</c> counts when the buffer is made;
    /// <c>transfer</c> keeps the bound of the buffer it detaches), refused as V8 refuses an allocation.
    /// <c>start</c> and <c>settle</c> are returned, not read as properties: ClearScript invokes a function fetched with
    /// <c>GetProperty</c> through a slow path (about 0.3 ms a call instead of 10 µs).
    /// </summary>
    public const string Adapter = """
(function (prelude, rawCall, hostLog, hostProgress, hostDone, arm, hostRefuse, expectedToolNamesJson, expectedContextJson) {
  'use strict';
  const P = Promise;
  const pending = Object.create(null);
  let next = 0;
  let alive = true;
  let lingers = false;
  const FR = FinalizationRegistry;
  const construct = Reflect.construct;
  // A null-prototype handler: traps the script adds to Object.prototype must not see the real constructor.
  const guarded = new Proxy(FR, { __proto__: null, construct(target, args, newTarget) {
    const callback = args[0];
    if (typeof callback === 'function') {
      if (!lingers) { lingers = true; hostLog(-1, ''); }
      args = [function (held) { if (alive) callback(held); }];
    }
    return construct(target, args, newTarget);
  } });
  const AB = ArrayBuffer;
  const RangeErrorCtor = RangeError;
  const trunc = Math.trunc;
  // Set by start: nothing can be reserved before the script's limit is known.
  let growable = 0;
  const guardedBuffer = new Proxy(AB, { __proto__: null, construct(target, args, newTarget) {
    const options = args[1];
    if (options === null || typeof options !== 'object') return construct(target, args, newTarget);
    // Read and converted once: a getter or valueOf must not answer one value here and another to V8.
    const raw = options.maxByteLength;
    if (raw === undefined) return construct(target, [args[0]], newTarget);
    let max = +raw;
    max = max !== max ? 0 : trunc(max);
    if (max > growable && max <= 9007199254740991) throw new RangeErrorCtor('Array buffer allocation failed');
    const buffer = construct(target, [args[0], { maxByteLength: max }], newTarget);
    growable -= max;
    return buffer;
  } });
  const define = Object.defineProperty;
  define(globalThis, 'FinalizationRegistry', { value: guarded, writable: true, enumerable: false, configurable: true });
  define(FR.prototype, 'constructor', { value: guarded, writable: true, enumerable: false, configurable: true });
  define(globalThis, 'ArrayBuffer', { value: guardedBuffer, writable: true, enumerable: false, configurable: true });
  define(AB.prototype, 'constructor', { value: guardedBuffer, writable: true, enumerable: false, configurable: true });
  function hostCall(name, json) {
    return new P((resolve) => {
      const id = ++next;
      const now = rawCall(id, name, json);
      if (now !== undefined) resolve(now); else pending[id] = resolve;
    });
  }
  function settle(id, envelope) {
    if (id === -1) { alive = false; return; }
    const resolve = pending[id];
    if (resolve === undefined) return;
    delete pending[id];
    resolve(envelope);
  }
  const bind = prelude(hostCall, hostLog, hostProgress, hostDone, expectedToolNamesJson, expectedContextJson);
  let started = false;
  return function start(script, toolNamesJson, contextJson, memoryBytes) {
    if (started) return undefined;
    started = true;
    arm(memoryBytes, hostRefuse);
    growable = memoryBytes;
    bind(toolNamesJson, contextJson)(script);
    return settle;
  };
})
""";
}
