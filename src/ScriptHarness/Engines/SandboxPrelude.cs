using System.Globalization;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The hardening prelude an engine runs before the script (V8 does; Jint builds the same surface from the host side,
/// which costs a trivial script far less, and the conformance suite holds both to the same behaviour). It captures the
/// intrinsics it relies on before user code can touch them, builds the frozen <c>tools</c>, <c>context</c> and
/// <c>console</c>, removes globals a sandbox must not offer, and returns the runner that reports the script's end.
/// </summary>
/// <remarks>
/// The source evaluates to a function the engine calls once with its host functions, which are therefore never
/// globals the script could reach. It runs in two steps, so an engine that prepares a fresh context ahead of the script
/// (V8) does everything that does not depend on the script there: the first call captures the intrinsics, removes the
/// globals, builds <c>console</c>, and returns <c>bind(toolNamesJson, contextJson)</c>, which builds <c>tools</c> and
/// <c>context</c> for one script, defines the globals and returns its runner. The first call may also be given the
/// tool names and context the script is expected to have (the last script's): the <c>tools</c> for those names are
/// built ahead and used when the script's names are the same, and a throwaway copy of that context is frozen, so the
/// context's shapes (hidden classes, frozen or not) already exist when the script's own is parsed and frozen. Its
/// host functions:
/// <list type="bullet">
/// <item><c>hostCall(name, argsJson)</c> returns a promise of the envelope text <c>{"ok":true,"value":…}</c> or
/// <c>{"ok":false,"code":…,"message":…}</c> (never rejected);</item>
/// <item><c>hostLog(level, text)</c> with the <see cref="Microsoft.Extensions.Logging.LogLevel"/> of the console method
/// (<see cref="ScriptSurface.ConsoleMethods"/>) as a number; <c>hostProgress(text)</c>;</item>
/// <item><c>hostDone(true, json?)</c> or <c>hostDone(false, code, message, stack)</c>, called once;</item>
/// <item><c>expectedToolNamesJson</c>, <c>expectedContextJson</c>: JSON text, or an empty string for none.</item>
/// </list>
/// <c>bind</c> takes the tool names and the context as JSON text, and is called once, with no script code run before
/// it; it returns <c>run(script)</c>, which the engine calls with the wrapped script function.
/// The surface's names, what it freezes and how deeply, and its error codes are written in from <see cref="ScriptSurface"/>.
/// </remarks>
public static class SandboxPrelude
{
    /// <summary>The source name engines give the prelude, so its frames never show in a script's stack.</summary>
    public const string SourceName = "prelude";

    /// <summary>The prelude's JavaScript source: a function expression the engine calls once with its host functions; it returns <c>bind</c>.</summary>
    public static string Source { get; } = Generate("""
(function (hostCall, hostLog, hostProgress, hostDone, expectedToolNamesJson, expectedContextJson) {
  'use strict';
  const O = Object, freeze = O.freeze, isFrozen = O.isFrozen, keys = O.keys, create = O.create, isArray = Array.isArray;
  const defineProperty = O.defineProperty, hasOwn = O.prototype.hasOwnProperty;
  const apply = Reflect.apply, parse = JSON.parse, stringify = JSON.stringify;
  const P = Promise, then = P.prototype.then, promiseReject = P.reject;
  const ErrorCtor = Error, TypeErrorCtor = TypeError, Str = String, ProxyCtor = Proxy;
  const ours = new WeakSet(), weakAdd = WeakSet.prototype.add, weakHas = WeakSet.prototype.has;

  function text(v) { try { return typeof v === 'string' ? v : Str(v); } catch (e) { return '[unprintable]'; } }
  function deepFreeze(v) {
    if (v !== null && typeof v === 'object' && !isFrozen(v)) {
      freeze(v);
      // An array by index: keys() would make a string per element, the bulk of a long array's cost.
      if (isArray(v)) {
        for (let i = 0; i < v.length; i++) { const x = v[i]; if (x !== null && typeof x === 'object') deepFreeze(x); }
      } else {
        const ks = keys(v);
        for (let i = 0; i < ks.length; i++) { const x = v[ks[i]]; if (x !== null && typeof x === 'object') deepFreeze(x); }
      }
    }
    return v;
  }
  function harnessError(code, message) {
    const e = new ErrorCtor(message);
    defineProperty(e, /*ErrorCodeProperty*/, { value: code, enumerable: true });
    apply(weakAdd, ours, [e]);
    return e;
  }
  function strictJson(key, value) {
    const t = typeof value;
    if (t === 'function' || t === 'symbol' || t === 'bigint') throw new TypeErrorCtor('a ' + t + ' is not JSON (at "' + key + '")');
    return value;
  }
  function settle(envelope) {
    const env = parse(envelope);
    if (env.ok === true) return /*FreezeToolResult*/(env.value);
    throw harnessError(env.code, env.message);
  }
  function invoke(name, args) {
    let json;
    if (args !== undefined) {
      try { json = stringify(args, strictJson); }
      catch (e) { return apply(promiseReject, P, [harnessError(/*ArgumentsNotJsonCode*/, 'arguments of ' + name + ' are not plain JSON: ' + text(e && e.message))]); }
    }
    return apply(then, hostCall(name, json), [settle]);
  }
  function readOnly() { throw new TypeErrorCtor('tools is read-only'); }
  const probes = create(null);
  for (const k of /*ProbeKeys*/)
    probes[k] = true;
  function tool(full) { return freeze({ [full]: (args) => invoke(full, args) }[full]); }
  function guard(target, fallback) {
    return new ProxyCtor(freeze(target), {
      get(t, k) {
        if (typeof k !== 'string') return undefined;
        if (apply(hasOwn, t, [k])) return t[k];
        return probes[k] === true ? undefined : fallback(k);
      },
      set: readOnly, defineProperty: readOnly, deleteProperty: readOnly, setPrototypeOf: readOnly,
    });
  }
  function namespace(ns, members) {
    const target = create(null);
    for (let i = 0; i < members.length; i++) target[members[i]] = tool(ns + '.' + members[i]);
    return guard(target, (k) => tool(ns + '.' + k));
  }
  function format(args) {
    let s = '';
    for (let i = 0; i < args.length && s.length < 8192; i++) {
      const a = args[i];
      let t;
      if (typeof a === 'string') t = a;
      else { try { t = stringify(a); } catch (e) { t = undefined; } if (t === undefined) t = text(a); }
      s += (i === 0 ? '' : ' ') + t;
    }
    return s;
  }
  function logger(level) { return (...a) => { hostLog(level, format(a)); }; }
  const con = create(null);
  const methods = /*ConsoleMethods*/;
  for (let i = 0; i < methods.length; i++) con[methods[i][0]] = logger(methods[i][1]);

  const G = globalThis;
  for (const k of /*RemovedGlobals*/) delete G[k];
  // The globals are defined when bound to the script, every one of the contract's in its order; console is built ahead.
  const globals = /*Globals*/;
  function defineGlobals(surface) {
    for (let i = 0; i < globals.length; i++) {
      const name = globals[i][0], value = surface[name];
      if (value === undefined) throw new TypeErrorCtor('the prelude has no value for the global ' + name);
      if (globals[i][1]) deepFreeze(value); else freeze(value);
      defineProperty(G, name, { value: value, enumerable: true, writable: false, configurable: false });
    }
  }

  function describe(e) {
    try {
      if (e !== null && typeof e === 'object') {
        const code = apply(weakHas, ours, [e]) ? e[/*ErrorCodeProperty*/] : /*RuntimeErrorCode*/;
        const message = typeof e.message === 'string'
          ? (code === /*RuntimeErrorCode*/ && typeof e.name === 'string' && e.name ? e.name + ': ' + e.message : e.message)
          : 'Uncaught ' + text(e);
        return [code, message, typeof e.stack === 'string' ? e.stack : ''];
      }
      return [/*RuntimeErrorCode*/, 'Uncaught ' + text(e), ''];
    } catch (x) {
      return [/*RuntimeErrorCode*/, 'Uncaught exception', ''];
    }
  }
  function fail(e) { const d = describe(e); hostDone(false, d[0], d[1], d[2]); }
  function finish(v) {
    if (v === undefined) { hostDone(true); return; }
    let json;
    try { json = stringify(v); }
    catch (e) { hostDone(false, /*ReturnNotJsonCode*/, 'the return value cannot be serialized to JSON: ' + text(e && e.message), ''); return; }
    hostDone(true, json);
  }
  function run(script) {
    let p;
    try { p = script(); } catch (e) { fail(e); return; }
    apply(then, p, [finish, fail]);
  }
  function buildTools(toolNamesJson) {
    const byNamespace = create(null);
    const names = parse(toolNamesJson);
    for (let i = 0; i < names.length; i++) {
      const dot = names[i].indexOf('.');
      const ns = names[i].slice(0, dot);
      (byNamespace[ns] || (byNamespace[ns] = [])).push(names[i].slice(dot + 1));
    }
    const top = create(null);
    for (const ns of keys(byNamespace)) top[ns] = namespace(ns, byNamespace[ns]);
    return guard(top, (k) => namespace(k, []));
  }
  function buildContext(contextJson) {
    const ctx = parse(contextJson);
    ctx[/*ProgressFunction*/] = (message) => { hostProgress(text(message)); };
    return ctx;
  }
  // Ahead of the script, from what it is expected to have; bind does the work again when that guess was wrong.
  let expectedTools;
  try {
    if (expectedToolNamesJson) expectedTools = buildTools(expectedToolNamesJson);
    if (expectedContextJson) deepFreeze(buildContext(expectedContextJson));
  } catch (e) {
    expectedTools = undefined;
  }
  return function bind(toolNamesJson, contextJson) {
    const surface = create(null);
    surface[/*ToolsGlobal*/] = expectedTools !== undefined && toolNamesJson === expectedToolNamesJson ? expectedTools : buildTools(toolNamesJson);
    surface[/*ContextGlobal*/] = buildContext(contextJson);
    surface[/*ConsoleGlobal*/] = con;
    defineGlobals(surface);
    return run;
  };
})
""");

    /// <summary>The prelude with the surface's data (<see cref="ScriptSurface"/>) written in as JavaScript literals.</summary>
    private static string Generate(string template) => template
        .Replace("/*ProbeKeys*/", Literal(ScriptSurface.ProbeKeys), StringComparison.Ordinal)
        .Replace("/*RemovedGlobals*/", Literal(ScriptSurface.RemovedGlobals), StringComparison.Ordinal)
        .Replace("/*RuntimeErrorCode*/", Literal(ScriptSurface.RuntimeErrorCode), StringComparison.Ordinal)
        .Replace("/*ArgumentsNotJsonCode*/", Literal(ScriptSurface.ArgumentsNotJsonCode), StringComparison.Ordinal)
        .Replace("/*ReturnNotJsonCode*/", Literal(ScriptSurface.ReturnNotJsonCode), StringComparison.Ordinal)
        .Replace("/*ErrorCodeProperty*/", Literal(ScriptSurface.ErrorCodeProperty), StringComparison.Ordinal)
        .Replace("/*ProgressFunction*/", Literal(ScriptSurface.ProgressFunction), StringComparison.Ordinal)
        .Replace("/*ToolsGlobal*/", Literal(ScriptSurface.ToolsGlobal), StringComparison.Ordinal)
        .Replace("/*ContextGlobal*/", Literal(ScriptSurface.ContextGlobal), StringComparison.Ordinal)
        .Replace("/*ConsoleGlobal*/", Literal(ScriptSurface.ConsoleGlobal), StringComparison.Ordinal)
        .Replace("/*ConsoleMethods*/", Pairs(ScriptSurface.ConsoleMethods.Select(m => (m.Name, ((int)m.Level).ToString(CultureInfo.InvariantCulture)))), StringComparison.Ordinal)
        .Replace("/*FreezeToolResult*/", ScriptSurface.ToolResultFreezing == SurfaceFreezing.DeepFrozen ? "deepFreeze" : "freeze", StringComparison.Ordinal)
        .Replace("/*Globals*/", Pairs(ScriptSurface.Globals.Select(g => (g.Name, g.Freezing == SurfaceFreezing.DeepFrozen ? "true" : "false"))), StringComparison.Ordinal);

    private static string Literal(IReadOnlyList<string> names) => "[" + string.Join(", ", names.Select(Literal)) + "]";

    /// <summary>Names with a literal each, as a JavaScript array of pairs: <c>[['name', value], …]</c>.</summary>
    private static string Pairs(IEnumerable<(string Name, string Value)> pairs) =>
        "[" + string.Join(", ", pairs.Select(p => "[" + Literal(p.Name) + ", " + p.Value + "]")) + "]";

    // The surface's names and codes are plain identifiers and wire codes: nothing in them needs escaping.
    private static string Literal(string name) => "'" + name + "'";
}
