using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A console call's arguments as one line: strings as they are, anything else as JSON, or as <c>String(value)</c>
/// when it has no JSON form. Arguments past ~8 KB are dropped (the console's own rate limits cut further). A value whose
/// JSON would not fit in what is left of the memory budget ends the script with <c>memory_limit</c> before it is written.
/// </summary>
internal sealed class ConsoleFormatter(Engine engine, OneStepGuards guards)
{
    private const int MaxChars = 8192;

    private JsonSerializer? _json;

    public string Format(JsValue[] args)
    {
        if (args.Length == 1 && args[0].IsString())
        {
            return args[0].AsString();
        }

        var line = new StringBuilder();
        for (var i = 0; i < args.Length && line.Length < MaxChars; i++)
        {
            if (i > 0)
            {
                line.Append(' ');
            }

            line.Append(args[i].IsString() ? args[i].AsString() : Describe(args[i]));
        }

        return line.ToString();
    }

    private string Describe(JsValue value)
    {
        string? json;
        try
        {
            json = guards.Serialize(_json ??= new JsonSerializer(engine), value, "a console argument");
        }
        catch (JavaScriptException)
        {
            json = null;
        }

        return json ?? JintSurface.Text(value);
    }
}
