using System.Buffers;

namespace ScriptHarness.Detection;

/// <content>Strings, template literals, comments and regular expression literals: skipped until they end.</content>
internal sealed partial class ToolCallScanner
{
    private ScanStep ScanQuoted(SearchValues<char> stops, char quote)
    {
        var next = From(_scan).IndexOfAny(stops);
        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        var i = _scan + next;
        var c = _buffer[i];
        if (c == quote)
        {
            return Enter(LexState.Code, i, i + 1);
        }

        if (c != '\\')
        {
            // A raw line break cannot appear in these strings: the string was never closed. Back to code, so a
            // stray quote (or an apostrophe in a broken line) does not hide the rest of the block.
            return Enter(LexState.Code, _lastSignificant, i + 1);
        }

        // An escape. "\" + CRLF is one line continuation, so both break characters belong to it.
        if (!_final && (i + 1 >= _length || (_buffer[i + 1] == '\r' && i + 2 >= _length)))
        {
            return Wait(i);
        }

        var skip = i + 2 < _length && _buffer[i + 1] == '\r' && _buffer[i + 2] == '\n' ? 3 : 2;
        _scan = Math.Min(i + skip, _length);
        return ScanStep.Continue;
    }

    private ScanStep ScanTemplate()
    {
        var next = From(_scan).IndexOfAny(TemplateStops);
        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        var i = _scan + next;
        switch (_buffer[i])
        {
            case '`':
                return Enter(LexState.Code, i, i + 1);
            case '\\':
                return SkipEscape(i);
            default: // '$'
                if (i + 1 >= _length && !_final)
                {
                    return Wait(i);
                }

                if (i + 1 < _length && _buffer[i + 1] == '{')
                {
                    PushTemplate();
                    return Enter(LexState.Code, i + 1, i + 2);
                }

                _scan = i + 1;
                return ScanStep.Continue;
        }
    }

    // "${" opens code inside the template; remember the brace depth of the code around it for the matching '}'.
    private void PushTemplate()
    {
        if (_templateNesting == _templateDepths.Length)
        {
            Array.Resize(ref _templateDepths, _templateDepths.Length * 2);
        }

        _templateDepths[_templateNesting++] = _braceDepth;
        _braceDepth = 0;
    }

    private ScanStep ScanLineComment()
    {
        var next = From(_scan).IndexOfAny(LineBreaks);
        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        _lex = LexState.Code;
        _scan += next + 1;
        return ScanStep.Continue;
    }

    private ScanStep ScanBlockComment()
    {
        var next = From(_scan).IndexOf("*/", StringComparison.Ordinal);
        if (next < 0)
        {
            // Keep a trailing '*': its '/' may come in the next chunk.
            _scan = _length > _scan && _buffer[_length - 1] == '*' ? _length - 1 : _length;
            return ScanStep.NeedMore;
        }

        _lex = LexState.Code;
        _scan += next + 2;
        return ScanStep.Continue;
    }

    private ScanStep ScanRegex()
    {
        var next = From(_scan).IndexOfAny(RegexStops);
        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        var i = _scan + next;
        switch (_buffer[i])
        {
            case '/':
                return Enter(LexState.Code, i, i + 1);
            case '[':
                _lex = LexState.RegexClass;
                _scan = i + 1;
                return ScanStep.Continue;
            case '\\':
                return SkipEscape(i);
            default:
                return EndLineBoundLiteral(i);
        }
    }

    private ScanStep ScanRegexClass()
    {
        var next = From(_scan).IndexOfAny(ClassStops);
        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        var i = _scan + next;
        switch (_buffer[i])
        {
            case ']':
                _lex = LexState.Regex;
                _scan = i + 1;
                return ScanStep.Continue;
            case '\\':
                return SkipEscape(i);
            default:
                return EndLineBoundLiteral(i);
        }
    }

    // A regular expression cannot span lines: the '/' was division after all, or the literal is broken.
    private ScanStep EndLineBoundLiteral(int lineBreak) => Enter(LexState.Code, _lastSignificant, lineBreak + 1);

    // Skips '\' and the character it escapes (in templates and regular expressions, where a line break may
    // follow: a template may span lines, and in a regular expression the break is handled by the next scan).
    private ScanStep SkipEscape(int i)
    {
        if (i + 1 >= _length && !_final)
        {
            return Wait(i);
        }

        var escaped = i + 1 < _length ? _buffer[i + 1] : '\0';
        if (_lex is LexState.Regex or LexState.RegexClass && escaped is '\n' or '\r')
        {
            return EndLineBoundLiteral(i + 1);
        }

        _scan = Math.Min(i + 2, _length);
        return ScanStep.Continue;
    }
}
