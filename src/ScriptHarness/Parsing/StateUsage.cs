using Acornima.Ast;

namespace ScriptHarness.Parsing;

/// <summary>
/// Whether a parsed script keeps state: it calls <c>store</c> or <c>load</c>, or names <c>$state</c> (the tools behind
/// them). Such a block waits for the earlier blocks of its reply, so state flows in reply order; a false positive only
/// costs that wait, so a name shadowed by the script's own <c>store</c> still counts.
/// </summary>
internal static class StateUsage
{
    public static bool Find(Node root)
    {
        // An explicit stack: any tree the parser could build is walked without running out of stack.
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case CallExpression { Callee: Identifier { Name: "store" or "load" } }:
                case Identifier { Name: "$state" }:
                    return true;
            }

            foreach (var child in node.ChildNodes)
            {
                pending.Push(child);
            }
        }

        return false;
    }
}
