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

        var root = new ToolNamespaceObject(surface, null);
        foreach (var (ns, members) in byNamespace)
        {
            root.AddLazy(ns, (surface, ns, members), static s => Namespace(s.surface, s.ns, s.members));
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
        return _namespace is null ? Namespace(_surface, key, []) : _surface.ToolFunction(_namespace + "." + key);
    }

    public override bool Set(JsValue property, JsValue value, JsValue receiver) =>
        IsFrozen ? throw ReadOnly() : base.Set(property, value, receiver);

    public override bool Delete(JsValue property) => IsFrozen ? throw ReadOnly() : base.Delete(property);

    public override bool DefineOwnProperty(JsValue property, PropertyDescriptor desc) =>
        IsFrozen ? throw ReadOnly() : base.DefineOwnProperty(property, desc);

    private static ToolNamespaceObject Namespace(JintSurface surface, string ns, List<string> members)
    {
        var obj = new ToolNamespaceObject(surface, ns);
        foreach (var member in members)
        {
            obj.AddLazy(member, (surface, name: ns + "." + member), static s => s.surface.ToolFunction(s.name));
        }

        obj.Freeze(surface.SetPrototypeOf);
        return obj;
    }

    private JavaScriptException ReadOnly() => new(Engine.Intrinsics.TypeError, "tools is read-only");
}
