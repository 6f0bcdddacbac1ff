using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// What a script sees of the host in a Jint realm — <c>tools</c>, <c>context</c>, <c>console</c> — built from the host
/// side with the behaviour of the shared prelude (<see cref="SandboxPrelude"/>, which V8 runs), but without running
/// it: the prelude cost a trivial script ~15× a bare engine. The globals are lazy, so a script pays only for what it
/// touches, and the intrinsics the host relies on are captured before any script code runs.
/// </summary>
/// <remarks>The conformance suite holds this surface and the prelude's to the same scenarios.</remarks>
internal sealed class JintSurface
{
    private readonly HashSet<ObjectInstance> _harnessErrors = new(ReferenceEqualityComparer.Instance);
    private readonly ISurfaceHost _host;
    private readonly OneStepGuards _guards;
    private JsToJson? _toJson;
    private JsonToJs? _fromJson;
    private JsonSerializer? _serializer;

    /// <summary>Captures the intrinsics and installs the globals. Runs before any script code.</summary>
    public JintSurface(Engine engine, ISurfaceHost host, OneStepGuards guards)
    {
        Engine = engine;
        _host = host;
        _guards = guards;
        var objectCtor = engine.Intrinsics.Object;
        SetPrototypeOf = objectCtor.Get("setPrototypeOf");
        Freeze = objectCtor.Get("freeze");
        Then = engine.Global.Get("Promise").Get("prototype").Get("then");

        var global = engine.Global;
        foreach (var name in ScriptSurface.RemovedGlobals)
        {
            global.Delete(name);
        }

        // Read-only and not configurable (ScriptSurface.Globals); each is frozen as it is built: tools and its namespaces
        // as FrozenObjects (tool functions frozen too), the context deeply by JsonToJs, the console as a FrozenObject.
        engine.Advanced.AddLazyGlobal(ScriptSurface.ToolsGlobal, this, static (_, s) => ToolNamespaceObject.Root(s, s._host.ToolNames), PropertyFlag.OnlyEnumerable);
        engine.Advanced.AddLazyGlobal(ScriptSurface.ContextGlobal, this, static (_, s) => s.CreateContext(), PropertyFlag.OnlyEnumerable);
        engine.Advanced.AddLazyGlobal(ScriptSurface.ConsoleGlobal, this, static (_, s) => s.CreateConsole(), PropertyFlag.OnlyEnumerable);
    }

    public Engine Engine { get; }

    /// <summary>The realm's own <c>Object.setPrototypeOf</c>.</summary>
    public JsValue SetPrototypeOf { get; }

    /// <summary>The realm's own <c>Object.freeze</c>.</summary>
    public JsValue Freeze { get; }

    /// <summary>The realm's own <c>Promise.prototype.then</c>.</summary>
    public JsValue Then { get; }

    private JsonToJs FromJson => _fromJson ??= new JsonToJs(Engine);

    /// <summary>The frozen function of one tool (which may not exist: the host then answers <c>tool_not_found</c>).</summary>
    public JsValue ToolFunction(string name)
    {
        var function = new ClrFunction(Engine, name, (_, args) => _host.CallTool(name, args.Length > 0 ? args[0] : JsValue.Undefined));
        Engine.Call(Freeze, JsValue.Undefined, [function]);
        return function;
    }

    /// <summary>Tool arguments as host JSON, or why they are not plain JSON; <paramref name="what"/> names them in a refusal.</summary>
    public JsonNode? ToJson(JsValue value, string what, out string? error)
    {
        var converter = _toJson ??= new JsToJson(Engine, _guards);
        return (converter.Busy ? new JsToJson(Engine, _guards) : converter).Convert(value, what, out error);
    }

    /// <summary>A host value as a deeply frozen script value; throws for what JSON cannot hold.</summary>
    public JsValue FromHost(JsonNode? node) => FromJson.Convert(node);

    /// <summary>An Error with a harness <c>code</c>, recognised as the harness's own when it ends the script.</summary>
    public ObjectInstance HarnessError(string code, string message)
    {
        var error = Engine.Intrinsics.Error.Construct(message);
        error.FastSetProperty(ScriptSurface.ErrorCodeProperty, new PropertyDescriptor(code, PropertyFlag.OnlyEnumerable));
        _harnessErrors.Add(error);
        return error;
    }

    /// <summary>
    /// The script's return value as JSON text (null for undefined or what JSON drops); throws a JavaScript error when it
    /// cannot be, and ends the script with <c>memory_limit</c> when its text would not fit in what is left of the budget.
    /// </summary>
    public string? Serialize(JsValue value) => _guards.Serialize(_serializer ??= new JsonSerializer(Engine), value, "the return value");

    /// <summary>Code, message and stack of what a script threw (the prelude's <c>describe</c>).</summary>
    public (string Code, string Message, string Stack) Describe(JsValue thrown)
    {
        try
        {
            if (thrown is ObjectInstance obj)
            {
                var code = _harnessErrors.Contains(obj) ? obj.Get(ScriptSurface.ErrorCodeProperty).ToString() : ScriptSurface.RuntimeErrorCode;
                var message = obj.Get("message");
                var name = obj.Get("name");
                var stack = obj.Get("stack");
                var text = message.IsString()
                    ? (code == ScriptSurface.RuntimeErrorCode && name.IsString() && name.AsString().Length > 0 ? name.AsString() + ": " + message.AsString() : message.AsString())
                    : "Uncaught " + Text(thrown);
                return (code, text, stack.IsString() ? stack.AsString() : string.Empty);
            }

            return (ScriptSurface.RuntimeErrorCode, "Uncaught " + Text(thrown), string.Empty);
        }
        catch (JavaScriptException)
        {
            return (ScriptSurface.RuntimeErrorCode, "Uncaught exception", string.Empty);
        }
    }

    /// <summary>The message of what a script threw (<c>e.message</c> when it is a string, else <c>String(e)</c>).</summary>
    public static string MessageOf(JavaScriptException exception)
    {
        try
        {
            var message = exception.Error is ObjectInstance error ? error.Get("message") : JsValue.Undefined;
            return message.IsString() ? message.AsString() : Text(exception.Error);
        }
        catch (JavaScriptException)
        {
            return "[unprintable]";
        }
    }

    /// <summary><c>String(value)</c>, or a placeholder when that throws.</summary>
    public static string Text(JsValue value)
    {
        try
        {
            return value.IsString() ? value.AsString() : value.IsSymbol() ? value.ToString() : TypeConverter.ToString(value);
        }
        catch (JavaScriptException)
        {
            return "[unprintable]";
        }
    }

    private ObjectInstance CreateContext() =>
        FromJson.ConvertObject(_host.ContextJson, new KeyValuePair<string, JsValue>(ScriptSurface.ProgressFunction,
            new ClrFunction(Engine, ScriptSurface.ProgressFunction, (_, args) =>
            {
                _host.Progress(Text(args.Length > 0 ? args[0] : JsValue.Undefined));
                return JsValue.Undefined;
            })));

    private FrozenObject CreateConsole()
    {
        var console = new FrozenObject(Engine);
        var formatter = new ConsoleFormatter(Engine, _guards);
        foreach (var method in ScriptSurface.ConsoleMethods)
        {
            var level = method.Level;
            console.Add(method.Name, new ClrFunction(Engine, method.Name, (_, args) =>
            {
                _host.Log(level, formatter.Format(args));
                return JsValue.Undefined;
            }));
        }

        console.Freeze(SetPrototypeOf);
        return console;
    }
}
