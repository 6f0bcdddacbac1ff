using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;

namespace ScriptHarness.Engines.Jint;

/// <summary>A host-built frozen object without a prototype (the prelude's <c>freeze(Object.create(null))</c>).</summary>
internal class FrozenObject(Engine engine) : ObjectInstance(engine)
{
    /// <summary>True once <see cref="Freeze"/> has run.</summary>
    protected bool IsFrozen { get; private set; }

    /// <summary>Adds a read-only enumerable member while the object is being built.</summary>
    public void Add(string name, JsValue value) =>
        FastSetProperty(name, new PropertyDescriptor(value, PropertyFlag.OnlyEnumerable));

    /// <summary>Adds a read-only enumerable member built on first read (most scripts touch few tools).</summary>
    public void AddLazy<TState>(string name, TState state, Func<TState, JsValue> create) =>
        FastSetProperty(name, PropertyDescriptor.CreateLazy(state, create, PropertyFlag.OnlyEnumerable));

    /// <summary>Ends construction: no prototype, not extensible, all members read-only.</summary>
    /// <param name="setPrototypeOf">The realm's own <c>Object.setPrototypeOf</c>, captured before any script ran.</param>
    public void Freeze(JsValue setPrototypeOf)
    {
        Engine.Call(setPrototypeOf, JsValue.Undefined, [this, JsValue.Null]);
        PreventExtensions();
        IsFrozen = true;
    }
}
