using Acornima.Ast;

namespace ScriptHarness.Parsing;

/// <summary>
/// Finds the first real reference to a banned global in a parsed script, plus any <c>import(...)</c>.
/// Names in strings, templates, comments and regexes never reach the AST; property names, object keys,
/// class members and labels are skipped because they are not references. A name the script declares
/// anywhere (variable, function, class, parameter, catch parameter) is treated as the script's own — a
/// cheap stand-in for scope analysis, acceptable because this is a lint, not the sandbox boundary.
/// </summary>
internal sealed class BannedIdentifierScanner
{
    private readonly HashSet<string> _banned;

    /// <summary>Creates a scanner for <paramref name="banned"/> names (case-sensitive).</summary>
    public BannedIdentifierScanner(IEnumerable<string> banned) => _banned = new HashSet<string>(banned, StringComparer.Ordinal);

    /// <summary>The first offending reference in source order, or null when the script is clean.</summary>
    public BannedReference? FindFirst(Node root)
    {
        // An explicit stack, not AstVisitor recursion: any tree the parser could build is walked without
        // running out of stack. Each entry says whether the node sits where a name is declared.
        var pending = new Stack<(Node Node, bool Binding)>();
        HashSet<string>? declared = null;
        List<BannedReference>? candidates = null;
        pending.Push((root, false));

        while (pending.TryPop(out var entry))
        {
            var (node, binding) = entry;
            switch (node)
            {
                case Identifier id:
                    if (_banned.Contains(id.Name))
                    {
                        if (binding)
                        {
                            (declared ??= new(StringComparer.Ordinal)).Add(id.Name);
                        }
                        else
                        {
                            (candidates ??= []).Add(new(id.Name, node, Shadowable: true));
                        }
                    }

                    break;
                case ImportExpression:
                    (candidates ??= []).Add(new(BannedIdentifierMessages.ImportCall, node, Shadowable: false));
                    PushChildren(pending, node, binding: false);
                    break;
                case MetaProperty or BreakStatement or ContinueStatement:
                    // new.target and jump labels hold no references.
                    break;
                case MemberExpression member:
                    pending.Push((member.Object, false));
                    if (member.Computed)
                    {
                        pending.Push((member.Property, false));
                    }

                    break;
                case LabeledStatement labeled:
                    pending.Push((labeled.Body, false));
                    break;
                case Property property:
                    // Object literal and destructuring entries: the key is a name unless computed; the value
                    // inherits the binding context (`const { a: eval } = x` declares eval).
                    if (property.Computed)
                    {
                        pending.Push((property.Key, false));
                    }

                    pending.Push((property.Value, binding));
                    break;
                case ClassProperty member:
                    PushChildren(pending, node, binding: false, skip: member.Computed ? null : member.Key);
                    break;
                case VariableDeclarator declarator:
                    PushChildren(pending, node, binding: false, pivot: declarator.Id);
                    break;
                case IFunction function:
                    // Name and parameters declare; the body (an expression for some arrows) does not.
                    PushChildren(pending, node, binding: true, pivot: function.Body);
                    break;
                case IClass type:
                    PushChildren(pending, node, binding: false, pivot: type.Id);
                    break;
                case CatchClause clause:
                    PushChildren(pending, node, binding: false, pivot: clause.Param);
                    break;
                case AssignmentPattern pattern:
                    // The default value is an ordinary expression even inside a declaration.
                    pending.Push((pattern.Left, binding));
                    pending.Push((pattern.Right, false));
                    break;
                case ObjectPattern or ArrayPattern or RestElement:
                    PushChildren(pending, node, binding);
                    break;
                default:
                    PushChildren(pending, node, binding: false);
                    break;
            }
        }

        return candidates is null ? null : First(candidates, declared);
    }

    // Pushes the children of node: the pivot child gets the opposite binding flag of its siblings; skip is left out.
    private static void PushChildren(Stack<(Node, bool)> pending, Node node, bool binding, Node? pivot = null, Node? skip = null)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is not null && !ReferenceEquals(child, skip))
            {
                pending.Push((child, ReferenceEquals(child, pivot) ? !binding : binding));
            }
        }
    }

    private static BannedReference? First(List<BannedReference> candidates, HashSet<string>? declared)
    {
        BannedReference? first = null;
        foreach (var candidate in candidates)
        {
            var ownName = candidate.Shadowable && declared is not null && declared.Contains(candidate.Name);
            if (!ownName && (first is null || candidate.Node.Start < first.Value.Node.Start))
            {
                first = candidate;
            }
        }

        return first;
    }

    /// <summary>A reference to a banned name.</summary>
    /// <param name="Name">The name as reported, e.g. <c>eval</c> or <c>import()</c>.</param>
    /// <param name="Node">The referencing node, for its position.</param>
    /// <param name="Shadowable">Whether a declaration of the same name in the script makes it the script's own.</param>
    internal readonly record struct BannedReference(string Name, Node Node, bool Shadowable);
}
