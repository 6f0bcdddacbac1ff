using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// <c>tools</c> and each <c>tools.&lt;namespace&gt;</c>, the host-built counterpart of the shared prelude's guarded
/// proxy. Writes, deletes and definitions throw a <c>TypeError</c> even in sloppy code. An unknown member is not
/// undefined: at the top it is an empty namespace, in a namespace a tool function whose call fails with
/// <c>tool_not_found</c> and a "did you mean", so a misspelt tool is reported by the host rather than as
/// "undefined is not a function". Keys that runtimes and libraries probe on any object read as undefined.
/// </summary>
internal sealed class ToolNamespaceObject : FrozenObject
{
    // Probed by await (thenables), serializers, inspectors, React, Jest: never a tool.
    private static readonly HashSet<string> Probes = new(ScriptSurface.ProbeKeys, StringComparer.Ordinal);

    private readonly JintSurface _surface;
    private readonly string? _namespace;

    private ToolNamespaceObject(JintSurface surface, string? ns)
        : base(surface.Engine)
    {
        _surface = surface;
        _namespace = ns;
    }

    /// <summary>The <c>tools</c> root: one namespace object per namespace of <paramref name="toolNames"/>.</summary>
    public static ToolNamespaceObject Root(JintSurface surface, IReadOnlyCollection<string> toolNames)
    {
        var root = new ToolNamespaceObject(surface, null);
        foreach (var ns in Layout.Of(toolNames))
        {
            root.AddLazy(ns.Name, (surface, ns), static s => Namespace(s.surface, s.ns));
        }

        root.Freeze(surface.SetPrototypeOf);
        return root;
    }

    public override JsValue Get(JsValue property, JsValue receiver)
    {
        var own = GetOwnProperty(property);
        if (own != PropertyDescriptor.Undefined)
        {
            return own.Value;
        }

        if (!property.IsString() || Probes.Contains(property.AsString()))
        {
            return JsValue.Undefined;
        }

        var key = property.AsString();
        return _namespace is null ? Namespace(_surface, new Layout.Namespace(key, [], [])) : _surface.ToolFunction(_namespace + "." + key);
    }

    public override bool Set(JsValue property, JsValue value, JsValue receiver) =>
        IsFrozen ? throw ReadOnly() : base.Set(property, value, receiver);

    public override bool Delete(JsValue property) => IsFrozen ? throw ReadOnly() : base.Delete(property);

    public override bool DefineOwnProperty(JsValue property, PropertyDescriptor desc) =>
        IsFrozen ? throw ReadOnly() : base.DefineOwnProperty(property, desc);

    private static ToolNamespaceObject Namespace(JintSurface surface, Layout.Namespace ns)
    {
        var obj = new ToolNamespaceObject(surface, ns.Name);
        for (var i = 0; i < ns.Members.Length; i++)
        {
            obj.AddLazy(ns.Members[i], (surface, name: ns.ToolNames[i]), static s => s.surface.ToolFunction(s.name));
        }

        obj.Freeze(surface.SetPrototypeOf);
        return obj;
    }

    private JavaScriptException ReadOnly() => new(Engine.Intrinsics.TypeError, "tools is read-only");

    /// <summary>
    /// The namespaces of a list of tool names, worked out once per list: every script's first touch of <c>tools</c>
    /// (the script wrapper's, so every script) grouped the names and cut them into new strings again, at a cost that grew
    /// with the catalogue. Keyed by the list itself (a registry's names never change) and checked against a copy, so a
    /// bridge that hands out a list it later changes still gets its current tools.
    /// </summary>
    private static class Layout
    {
        private static readonly ConditionalWeakTable<IReadOnlyCollection<string>, Cached> Layouts = [];

        public static Namespace[] Of(IReadOnlyCollection<string> toolNames)
        {
            if (Layouts.TryGetValue(toolNames, out var cached) && cached.Matches(toolNames))
            {
                return cached.Namespaces;
            }

            var fresh = new Cached([.. toolNames], Group(toolNames));
            Layouts.AddOrUpdate(toolNames, fresh);
            return fresh.Namespaces;
        }

        private static Namespace[] Group(IReadOnlyCollection<string> toolNames)
        {
            var byNamespace = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var name in toolNames)
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                var ns = name[..dot];
                if (!byNamespace.TryGetValue(ns, out var members))
                {
                    byNamespace[ns] = members = [];
                }

                members.Add(name[(dot + 1)..]);
            }

            return [.. byNamespace.Select(kv => new Namespace(kv.Key, [.. kv.Value], [.. kv.Value.Select(m => kv.Key + "." + m)]))];
        }

        /// <summary>One namespace: its members' names, and the tool name of each.</summary>
        public sealed record Namespace(string Name, string[] Members, string[] ToolNames);

        private sealed record Cached(string[] Names, Namespace[] Namespaces)
        {
            public bool Matches(IReadOnlyCollection<string> toolNames)
            {
                if (toolNames.Count != Names.Length)
                {
                    return false;
                }

                var i = 0;
                foreach (var name in toolNames)
                {
                    if (!string.Equals(name, Names[i++], StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
