using System.Buffers;

namespace ScriptHarness.Detection;

/// <content>
/// Just enough JavaScript lexing to know whether a marker stands in code, so that a closing tag or fence inside
/// a string, template literal, comment or regular expression literal does not end the block.
/// </content>
/// <remarks>
/// Regular expression literals need the parser's context to tell from division; this uses the usual heuristic:
/// a <c>/</c> that does not start a comment starts a regular expression when the last significant code character
/// is one of <c>( , = : [ ! &amp; | ? { } ; + - * % &lt; &gt; ~ ^</c> (but not the second character of <c>++</c>
/// or <c>--</c>: <c>a++ / 2</c>), when there is none since the block (or a
/// <c>${</c>) opened, when it is the <c>)</c> closing the head of <c>if</c>, <c>while</c>, <c>for</c> or
/// <c>with</c> (<c>if (ok) /x/.test(s)</c>; any other <c>)</c> ends an expression: <c>(a + b) / 2</c>), or when it
/// ends one of the keywords <c>return typeof instanceof in of new delete void throw case do else yield await</c>.
/// Otherwise it is division. Single- and double-quoted strings and regular expressions cannot span lines in
/// JavaScript, so a line break ends them: a wrong guess, or a stray quote, then costs at most the rest of one line.
/// The HTML-like comments of scripts (Annex B) are line comments: <c>&lt;!--</c> anywhere in code, and <c>--&gt;</c>
/// at the start of a line (after blanks only).
/// </remarks>
internal sealed partial class ToolCallScanner
{
    private static readonly SearchValues<char> CodeStops = SearchValues.Create("'\"`/<{}()-");
    private static readonly SearchValues<char> SingleQuotedStops = SearchValues.Create("'\\\n\r");
    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\\n\r");
    private static readonly SearchValues<char> TemplateStops = SearchValues.Create("`\\$");
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\n\r");
    private static readonly SearchValues<char> RegexStops = SearchValues.Create("/\\[]\n\r");
    private static readonly SearchValues<char> ClassStops = SearchValues.Create("]\\\n\r");
    private static readonly SearchValues<char> Blanks = SearchValues.Create(" \t\n\r\v\f\u00A0\uFEFF\u2028\u2029");
    private static readonly SearchValues<char> RegexAfter = SearchValues.Create("(,=:[!&|?{};+-*%<>~^");

    // Deeper parentheses are still counted, but taken as ordinary ones: no model writes 4,096 nested heads.
    private const int MaxTrackedParens = 4096;

    private LexState _lex;
    private int _braceDepth;          // open '{' in the current code context
    private int[] _templateDepths = new int[4]; // brace depth of the code around each open "${"
    private int _templateNesting;
    private int _lastSignificant;     // buffer index of the last significant code character, -1 if none
    private readonly List<bool> _parens = []; // per open '(': whether it opens the head of if/while/for/with
    private int _untrackedParens;     // open '(' beyond MaxTrackedParens
    private bool _closedControlHead;  // whether the last ')' closed such a head

    private void ResetLexer()
    {
        _lex = LexState.Code;
        _braceDepth = 0;
        _templateNesting = 0;
        _lastSignificant = -1;
        _parens.Clear();
        _untrackedParens = 0;
        _closedControlHead = false;
    }

    private ScanStep ScanBlock(ICollection<ReplySegment> emitted)
    {
        while (_scan < _length)
        {
            var step = _lex switch
            {
                LexState.Code => ScanCode(emitted),
                LexState.SingleQuoted => ScanQuoted(SingleQuotedStops, '\''),
                LexState.DoubleQuoted => ScanQuoted(DoubleQuotedStops, '"'),
                LexState.Template => ScanTemplate(),
                LexState.LineComment => ScanLineComment(),
                LexState.BlockComment => ScanBlockComment(),
                LexState.Regex => ScanRegex(),
                _ => ScanRegexClass(),
            };
            if (step != ScanStep.Continue)
            {
                return step;
            }
        }

        return ScanStep.NeedMore;
    }

    private ScanStep ScanCode(ICollection<ReplySegment> emitted)
    {
        var next = From(_scan).IndexOfAny(CodeStops);
        var runEnd = next < 0 ? _length : _scan + next;
        var lastInRun = _buffer.AsSpan(_scan, runEnd - _scan).LastIndexOfAnyExcept(Blanks);
        if (lastInRun >= 0)
        {
            _lastSignificant = _scan + lastInRun;
        }

        if (next < 0)
        {
            _scan = _length;
            return ScanStep.NeedMore;
        }

        var i = runEnd;
        switch (_buffer[i])
        {
            case '\'':
                return Enter(LexState.SingleQuoted, i, i + 1);
            case '"':
                return Enter(LexState.DoubleQuoted, i, i + 1);
            case '`':
                return CodeBacktick(i, emitted);
            case '/':
                return CodeSlash(i);
            case '<':
                return CodeAngle(i, emitted);
            case '{':
                _braceDepth++;
                return Enter(LexState.Code, i, i + 1);
            case '(':
                OpenParen();
                return Enter(LexState.Code, i, i + 1);
            case ')':
                CloseParen();
                return Enter(LexState.Code, i, i + 1);
            case '-':
                return CodeDash(i);
            default: // '}'
                if (_braceDepth == 0 && _templateNesting > 0)
                {
                    _braceDepth = _templateDepths[--_templateNesting];
                    return Enter(LexState.Template, i, i + 1); // end of a "${ … }": back in the template text
                }

                _braceDepth = Math.Max(0, _braceDepth - 1);
                return Enter(LexState.Code, i, i + 1);
        }
    }

    private ScanStep Enter(LexState state, int significant, int resume)
    {
        _lex = state;
        _lastSignificant = significant;
        _scan = resume;
        return ScanStep.Continue;
    }

    private ScanStep CodeBacktick(int i, ICollection<ReplySegment> emitted)
    {
        if (IsLineStart(i))
        {
            if (_closesOnFence)
            {
                var close = BlockMarkers.MatchFenceClose(From(i), _final, out var closeLength);
                if (close == MarkerMatch.Match)
                {
                    CloseBlock(i, i + closeLength, emitted);
                    return ScanStep.BlockEnded;
                }

                if (close == MarkerMatch.NeedMore)
                {
                    return Wait(i);
                }
            }

            var open = BlockMarkers.MatchFenceOpen(From(i), _final, out var openLength, out var form);
            if (open == MarkerMatch.Match)
            {
                MarkNested(i, form);
                return Enter(LexState.Code, -1, i + openLength);
            }

            if (open == MarkerMatch.NeedMore)
            {
                return Wait(i);
            }
        }

        return Enter(LexState.Template, i, i + 1);
    }

    private ScanStep CodeAngle(int i, ICollection<ReplySegment> emitted)
    {
        var close = BlockMarkers.MatchLiteral(From(i), BlockMarkers.CloseTag, _final);
        if (close == MarkerMatch.Match)
        {
            if (_closesOnTag)
            {
                CloseBlock(i, i + BlockMarkers.CloseTag.Length, emitted);
                return ScanStep.BlockEnded;
            }

            // Not this block's closer (a fenced block): content, skipped whole so its '/' is not read as a regex.
            return Enter(LexState.Code, i + BlockMarkers.CloseTag.Length - 1, i + BlockMarkers.CloseTag.Length);
        }

        var open = BlockMarkers.MatchLiteral(From(i), BlockMarkers.OpenTag, _final);
        if (open == MarkerMatch.Match)
        {
            MarkNested(i, BlockForm.Tag);
            return Enter(LexState.Code, -1, i + BlockMarkers.OpenTag.Length);
        }

        var comment = BlockMarkers.MatchLiteral(From(i), HtmlOpenComment, _final);
        if (comment == MarkerMatch.Match)
        {
            return LineComment(i + HtmlOpenComment.Length);
        }

        return close == MarkerMatch.NeedMore || open == MarkerMatch.NeedMore || comment == MarkerMatch.NeedMore
            ? Wait(i)
            : Enter(LexState.Code, i, i + 1);
    }

    private const string HtmlOpenComment = "<!--";
    private const string HtmlCloseComment = "-->";

    // "-->" opens a line comment only at the start of a line: elsewhere it is "--" then ">" (x-->0).
    private ScanStep CodeDash(int i)
    {
        if (!StartsLine(i))
        {
            return Enter(LexState.Code, i, i + 1);
        }

        var comment = BlockMarkers.MatchLiteral(From(i), HtmlCloseComment, _final);
        return comment switch
        {
            MarkerMatch.Match => LineComment(i + HtmlCloseComment.Length),
            MarkerMatch.NeedMore => Wait(i),
            _ => Enter(LexState.Code, i, i + 1),
        };
    }

    // Only blanks between the previous line break of the block and i. The block's first line follows the wrapper's
    // own code when the script is parsed, so it is no line start.
    private bool StartsLine(int i)
    {
        var j = i - 1;
        while (j >= _sourceStart && _buffer[j] is ' ' or '\t' or '\v' or '\f' or '\u00A0' or '\uFEFF')
        {
            j--;
        }

        return j >= _sourceStart && _buffer[j] is '\n' or '\r' or '\u2028' or '\u2029';
    }

    private ScanStep LineComment(int resume)
    {
        _lex = LexState.LineComment; // comments are not significant: _lastSignificant stays
        _scan = resume;
        return ScanStep.Continue;
    }

    private void OpenParen()
    {
        if (_parens.Count == MaxTrackedParens)
        {
            _untrackedParens++;
            return;
        }

        _parens.Add(EndsWord(_lastSignificant) is "if" or "while" or "for" or "with");
    }

    private void CloseParen()
    {
        if (_untrackedParens > 0)
        {
            _untrackedParens--;
            _closedControlHead = false;
        }
        else if (_parens.Count > 0)
        {
            _closedControlHead = _parens[^1];
            _parens.RemoveAt(_parens.Count - 1);
        }
        else
        {
            _closedControlHead = false; // unbalanced: the parser will say so; division is the safer guess here
        }
    }

    private ScanStep CodeSlash(int i)
    {
        if (i + 1 >= _length && !_final)
        {
            return Wait(i);
        }

        var next = i + 1 < _length ? _buffer[i + 1] : '\0';
        if (next == '/')
        {
            _lex = LexState.LineComment; // comments are not significant: _lastSignificant stays
            _scan = i + 2;
            return ScanStep.Continue;
        }

        if (next == '*')
        {
            _lex = LexState.BlockComment;
            _scan = i + 2;
            return ScanStep.Continue;
        }

        return RegexMayStart() ? Enter(LexState.Regex, i, i + 1) : Enter(LexState.Code, i, i + 1);
    }

    private bool RegexMayStart()
    {
        var last = _lastSignificant;
        if (last < 0)
        {
            return true;
        }

        var c = _buffer[last];
        if (c is '+' or '-' && last > _sourceStart && _buffer[last - 1] == c)
        {
            return false; // a++ / 2: after a postfix ++ or -- comes division (a regex can never follow a prefix one)
        }

        if (RegexAfter.Contains(c))
        {
            return true;
        }

        if (c == ')')
        {
            return _closedControlHead;
        }

        return EndsWord(last) is
            "return" or "typeof" or "instanceof" or "in" or "of" or "new" or "delete" or "void" or "throw"
            or "case" or "do" or "else" or "yield" or "await";
    }

    // The identifier ending at buffer index `last`, or empty when there is none there (or it is a property: obj.if).
    private ReadOnlySpan<char> EndsWord(int last)
    {
        if (last < 0 || !IsIdentifierPart(_buffer[last]))
        {
            return [];
        }

        var start = last;
        while (start > _sourceStart && IsIdentifierPart(_buffer[start - 1]))
        {
            start--;
        }

        var afterDot = start > _sourceStart && _buffer[start - 1] == '.'; // obj.return / 2 is a property
        return afterDot ? [] : _buffer.AsSpan(start, last + 1 - start);
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private ScanStep Wait(int i)
    {
        _scan = i; // decided when the next chunk arrives; nothing has changed yet
        return ScanStep.NeedMore;
    }
}
