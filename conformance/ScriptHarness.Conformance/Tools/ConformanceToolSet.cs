using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Conformance.Tools;

/// <summary>
/// The standard tools of the conformance suite: the built-in <c>test</c> toolset plus <c>conf.*</c> tools that
/// record what reaches them (<see cref="ConformanceProbe"/>), wait honouring cancellation, return big, deep, hostile or
/// CLR-backed JSON, need approval, or fail with host details the script must never see.
/// </summary>
public static class ConformanceToolSet
{
    /// <summary><c>test.echo(args)</c>: returns its arguments.</summary>
    public const string Echo = "test.echo";

    /// <summary><c>test.sleep({ms})</c>: waits, then returns <c>{slept}</c>.</summary>
    public const string Sleep = "test.sleep";

    /// <summary><c>test.fail({message})</c>: fails with <c>tool_execution_failed</c>.</summary>
    public const string Fail = "test.fail";

    /// <summary><c>test.counter()</c>: this script's call count, from 1.</summary>
    public const string Counter = "test.counter";

    /// <summary><c>conf.record(args)</c>: records its arguments in the probe, returns <c>{n}</c> (calls so far).</summary>
    public const string Record = "conf.record";

    /// <summary><c>conf.slow({ms})</c>: waits honouring cancellation; the probe tracks calls in flight, their peak, and how they ended.</summary>
    public const string Slow = "conf.slow";

    /// <summary><c>conf.big({kb})</c>: returns <c>{kb, items}</c>, about <c>kb</c> KiB of JSON.</summary>
    public const string Big = "conf.big";

    /// <summary><c>conf.deep({depth})</c>: returns objects nested <c>depth</c> levels deep: <c>{d:{d:…{leaf:true}}}</c>.</summary>
    public const string Deep = "conf.deep";

    /// <summary><c>conf.strict({name, count})</c>: a strict schema (string ≤ 16 chars, integer 0–100, nothing else); counts handler runs.</summary>
    public const string Strict = "conf.strict";

    /// <summary><c>conf.guarded(args)</c>: needs approval; counts handler runs; returns <c>{done: true}</c>.</summary>
    public const string Guarded = "conf.guarded";

    /// <summary><c>conf.crash()</c>: throws a CLR exception whose message holds a host path and type names.</summary>
    public const string Crash = "conf.crash";

    /// <summary><c>conf.hostile()</c>: returns JSON with <c>__proto__</c>, <c>constructor</c>, <c>then</c> and <c>toJSON</c> keys.</summary>
    public const string Hostile = "conf.hostile";

    /// <summary><c>conf.clr()</c>: returns JSON nodes backed by CLR values (a record, a Guid, a DateTimeOffset).</summary>
    public const string Clr = "conf.clr";

    /// <summary><c>conf.unserializable()</c>: returns a node that cannot be written as JSON (a <see cref="Type"/>).</summary>
    public const string Unserializable = "conf.unserializable";

    /// <summary>
    /// <c>conf.surrogate({form})</c>: returns text holding a lone surrogate (<c>"a\ud800b"</c>) as a handler may build it:
    /// <c>clr</c> a string node, <c>parsed</c> <c>{"s":"a\ud800b","list":["\udc00"]}</c> parsed from JSON text with the escapes.
    /// </summary>
    public const string Surrogate = "conf.surrogate";

    /// <summary><c>conf.stubborn({ms})</c>: waits ignoring cancellation (a careless tool), then returns <c>{ms}</c>.</summary>
    public const string Stubborn = "conf.stubborn";

    /// <summary><c>conf.block({ms})</c>: blocks its thread (as synchronous I/O would), then returns <c>{ms}</c>.</summary>
    public const string Block = "conf.block";

    /// <summary>
    /// <c>conf.nonfinite({kind})</c>: returns a number JSON cannot carry — <c>nan</c> (the result itself),
    /// <c>infinity</c> (in an object), <c>negative</c> (−∞ in an array), <c>float</c> (a single-precision NaN, nested) or
    /// <c>clr</c> (∞ inside a CLR record).
    /// </summary>
    public const string NonFinite = "conf.nonfinite";

    /// <summary>
    /// <c>conf.nested({levels})</c>: a sub-agent. Runs a reply on the scenario's own harness, from inside its handler,
    /// whose script calls <c>conf.nested({levels: levels - 1})</c>; at 0 it returns <c>{depth}</c>, the nesting depth of
    /// the script that called it. Returns what the nested script returned, or <c>{code}</c> when it failed.
    /// </summary>
    public const string Nested = "conf.nested";

    /// <summary>Every standard tool name, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. new[] { Echo, Sleep, Fail, Counter, Record, Slow, Big, Deep, Strict, Guarded, Crash, Hostile, Clr, Unserializable, Surrogate, Stubborn, Block, NonFinite, Nested }
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// A registry of the tools named in <paramref name="names"/> (all of them standard), fresh per scenario run and
    /// reporting to <paramref name="probe"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a standard conformance tool.</exception>
    public static ToolRegistry CreateRegistry(IEnumerable<string> names, ConformanceProbe probe, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(probe);
        var clock = time ?? TimeProvider.System;
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Except(Names, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Not standard conformance tools: {string.Join(", ", unknown)}.", nameof(names));
        }

        var all = TestToolSet.Create(clock).Tools.Concat(ConformanceTools.Create(probe, clock));
        return new ToolRegistry(all.Where(t => wanted.Contains(t.Name)));
    }
}
