"""The shell's lexer, which the LALR parser drives.

Shell cannot be split into tokens ahead of parsing: `if` is a reserved word only where a command
may start, `a=b` is an assignment only before the command word (or after `export`), a `)` ends a
case pattern, a subshell or a `$(` depending on what is open, and a here-document's body is the
lines after the *next* newline. So this lexer is a generator that runs inside lark's parse loop
and, for each such choice, asks the parser's tables whether a token is acceptable (`_accepts`),
which is the POSIX rule (a word is reserved where the grammar allows the reserved word). Nested
constructs (`$(...)`, quotes, `${...}`) are lexed by nested generators, so the Python stack is
the lexer's mode stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lark import Token
from lark.lexer import Lexer, LexerState
from lark.parsers.lalr_analysis import Shift

# Nested quotes and substitutions deeper than this are refused (Python's stack is the mode stack).
MAX_NESTING = 60

_COMMAND_STOP = " \t\n|&;<>()"
_PLAIN = re.compile(r"[^ \t\n|&;<>()$`'\"\\]+")
_ARGUMENT = re.compile(r"[^}$`'\"\\]+")
_PATTERN = re.compile(r"[^}/$`'\"\\]+")
_REGEX = re.compile(r"[^ \t\n$`'\"\\]+")
_DQ_TEXT = re.compile(r"[^\"\\$`]+")
_HEREDOC_TEXT = re.compile(r"[^\\$`\n]+")
_DIGITS = re.compile(r"[0-9]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]\n]*\])?\+?=")
_IO_NUMBER = re.compile(r"[0-9]+(?=[<>])")
_OPERATOR = re.compile(r";;&|;;|;&|;|&&|&>>|&>|&|\|\||\|&|\||<<<|<<-|<<|<&|<>|<\(|<|>>|>&|>\||>\(|>|\(|\)|\n")
_PARAM_OP = re.compile(r":[-=?+]|[-=?+]|##|#|%%|%|//|/#|/%|/|\^\^|\^|,,|,|:|@|\*")
_ANSI_C = re.compile(r"\$'(?:[^'\\]|\\.)*'", re.DOTALL)
_ARITH_NUMBER = re.compile(r"[0-9][0-9A-Za-z_#@]*")
_ARITH_OPERATOR = re.compile(r"<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|[-+*/%<>&^|!~?:=,;]")
_BLANKS = re.compile(r"(?:[ \t]|\\\n)*")
_MORE_LINES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")

_OPERATORS = {
    ";": "_SEMI", ";;": "CASE_END", ";&": "CASE_END", ";;&": "CASE_END", "&&": "AND_IF", "||": "OR_IF",
    "&": "AMP", "|": "PIPE", "|&": "PIPE", "<<<": "HERESTRING_OP", "<<": "HEREDOC_OP", "<<-": "HEREDOC_OP",
    "<": "REDIR_OP", ">": "REDIR_OP", ">>": "REDIR_OP", ">|": "REDIR_OP", "<>": "REDIR_OP", "<&": "REDIR_OP",
    ">&": "REDIR_OP", "&>": "REDIR_OP", "&>>": "REDIR_OP",
}
RESERVED = {
    "if": "IF", "then": "_THEN", "elif": "_ELIF", "else": "_ELSE", "fi": "FI", "for": "FOR", "in": "IN",
    "do": "_DO", "done": "DONE", "while": "WHILE", "until": "UNTIL", "case": "CASE", "esac": "ESAC",
    "function": "FUNCTION", "{": "LBRACE", "}": "RBRACE", "!": "BANG", "[[": "DLBRACKET",
    "export": "DECL", "local": "DECL", "readonly": "DECL", "declare": "DECL", "typeset": "DECL",
}
_WORD_ENDS = frozenset({"WORD", "_WEND", "ARRAY_END"})
# Reserved words of bash that the grammar does not read: refused where a command starts.
UNSUPPORTED = {"select": "a `select` loop", "coproc": "a coprocess (`coproc`)"}
_COND_UNARY = frozenset(f"-{c}" for c in "abcdefghknoprstuvwxzGLNORS")
_COND_BINARY = frozenset({"=", "==", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot",
                          "-ef"})
_ARITH_TOKENS = {
    "=": "A_ASSIGN", "*=": "A_ASSIGN", "/=": "A_ASSIGN", "%=": "A_ASSIGN", "+=": "A_ASSIGN", "-=": "A_ASSIGN",
    "<<=": "A_ASSIGN", ">>=": "A_ASSIGN", "&=": "A_ASSIGN", "^=": "A_ASSIGN", "|=": "A_ASSIGN",
    ",": "A_COMMA", "?": "A_QUEST", ":": "A_COLON", "||": "A_LOR", "&&": "A_LAND", "|": "A_BOR", "^": "A_BXOR",
    "&": "A_BAND", "==": "A_EQ", "!=": "A_EQ", "<": "A_REL", ">": "A_REL", "<=": "A_REL", ">=": "A_REL",
    "<<": "A_SHIFT", ">>": "A_SHIFT", "+": "A_ADD", "-": "A_ADD", "*": "A_MUL", "/": "A_MUL", "%": "A_MUL",
    "**": "A_POW", "!": "A_NOT", "~": "A_NOT", "++": "A_INCR", "--": "A_INCR", ";": "A_SEMI",
}


class ShellSyntaxError(Exception):
    """The lexer cannot go on at `offset`.

    `certain` when bash refuses the script too (an unterminated quote or substitution); otherwise
    the script may be valid shell that this grammar does not read.
    """

    def __init__(self, message: str, offset: int, *, certain: bool = False) -> None:
        super().__init__(message)
        self.offset = offset
        self.certain = certain


@dataclass(frozen=True, slots=True)
class LexRequest:
    """What to lex: the script, or (`heredoc`) an unquoted here-document's body within it."""

    text: str
    start: int = 0
    end: int = -1
    heredoc: bool = False
    strip_tabs: bool = False


class HereDocToken(Token):
    """The delimiter word of a here-document; the lexer records where its body is once it reads it."""

    __slots__ = ("body_end", "body_start", "closed", "delimiter", "quoted", "strip_tabs")

    body_start: int
    body_end: int
    closed: bool  # False when the script ends before the delimiter line (bash takes the rest)
    delimiter: str
    quoted: bool
    strip_tabs: bool


class ShellLexer(Lexer):
    """lark's entry point: one `_Scan` per parse, fed the parser's live state."""

    __future_interface__ = 1

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        request = lexer_state.text
        assert isinstance(request, LexRequest)
        scan = _Scan(request, parser_state)
        return scan.heredoc_body() if request.heredoc else scan.script()


class _Scan:
    def __init__(self, request: LexRequest, parser_state: Any) -> None:
        self.text = request.text
        self.pos = request.start
        self.end = len(request.text) if request.end < 0 else request.end
        self.strip_tabs = request.strip_tabs
        self.parser = parser_state
        self.states = parser_state.parse_conf.states if parser_state is not None else None
        self.pending: list[HereDocToken] = []
        self.depth = 0
        self.last = ""  # the type of the last token

    # -- the parser's view ---------------------------------------------------------------------

    def accepts(self, kind: str) -> bool:
        """Would the parser, in its current state, shift a token of this type (after reductions)?"""
        states = self.states
        if states is None:
            return True
        stack = self.parser.state_stack
        action = states[stack[-1]].get(kind)
        if action is None:
            return False
        if action[0] is Shift:
            return True
        stack = list(stack)
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return False
            what, rule = action
            if what is Shift:
                return True
            size = len(rule.expansion)
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][rule.origin.name][1])

    def is_reserved(self, kind: str) -> bool:
        """POSIX: a reserved word where the grammar takes it, and always where a command starts
        (`fi` there is an error, as in bash); `esac` right after a word is that word's argument."""
        if self.accepts(kind):
            return not (kind == "ESAC" and self.last in _WORD_ENDS)
        return kind != "DECL" and self.accepts("IF")

    def token(self, kind: str, start: int, end: int) -> Token:
        self.last = kind
        return Token(kind, self.text[start:end], start, None, None, None, None, end)

    def enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ShellSyntaxError(f"quotes and substitutions nested deeper than {MAX_NESTING} levels", offset)

    # -- commands ------------------------------------------------------------------------------

    def script(self) -> Iterator[Token]:
        yield from self.commands(None, 0)
        for heredoc in self.pending:  # a here-document on the last line, without a newline: empty
            heredoc.body_start = heredoc.body_end = self.end
            heredoc.closed = False
        self.pending.clear()

    def commands(self, closer: str | None, opened: int) -> Iterator[Token]:
        """A command list, until `closer` (")" of `$(` or `<(`, "`" of a backquote) or the end."""
        text, end = self.text, self.end
        stop = _COMMAND_STOP + "`" if closer == "`" else _COMMAND_STOP
        while True:
            pos = self.pos = _skip(_BLANKS, text, self.pos)
            if pos >= end:
                if closer is not None:
                    what = "`...`" if closer == "`" else "$(...)"
                    raise ShellSyntaxError(f"unterminated {what}", opened, certain=True)
                return
            char = text[pos]
            if char == "#":
                newline = text.find("\n", pos, end)
                self.pos = end if newline < 0 else newline
            elif char == "`" and closer == "`":
                self.pos = pos + 1
                yield self.token("BQ_END", pos, pos + 1)
                return
            elif char in "|&;<>()\n":
                operator = _OPERATOR.match(text, pos).group()  # type: ignore[union-attr]
                if operator == ")":
                    if not self.accepts("RPAREN") and closer == ")":
                        self.pos = pos + 1
                        yield self.token("CMDSUB_END", pos, pos + 1)
                        return
                    self.pos = pos + 1
                    yield self.token("RPAREN", pos, pos + 1)
                elif operator == "(":
                    if text.startswith("((", pos) and self.accepts("DPAREN") and self.arithmetic_ahead(pos + 2):
                        self.pos = pos + 2
                        yield self.token("DPAREN", pos, pos + 2)
                        yield from self.arithmetic(pos)
                    else:
                        self.pos = pos + 1
                        yield self.token("LPAREN", pos, pos + 1)
                elif operator == "\n":
                    self.pos = pos + 1
                    self.read_heredocs()
                    # Blank and comment lines that follow change nothing: one token for them all.
                    self.pos = _skip(_MORE_LINES, text, self.pos)
                    yield self.token("_NEWLINE", pos, pos + 1)
                elif operator in ("<(", ">("):
                    yield from self.substitution("PROCSUB_START", pos, 2)
                    yield from self.parts(stop, _PLAIN)
                    yield self.token("_WEND", self.pos, self.pos)
                else:
                    self.pos = pos + len(operator)
                    kind = _OPERATORS[operator]
                    yield self.token(kind, pos, self.pos)
                    if kind == "HEREDOC_OP":
                        yield self.heredoc_word(operator == "<<-")
            else:
                yield from self.command_word(stop, pos)

    def command_word(self, stop: str, pos: int) -> Iterator[Token]:
        """A word where commands are read: maybe a file descriptor, an assignment or a reserved word."""
        text = self.text
        char = text[pos]
        if char.isdigit():
            number = _IO_NUMBER.match(text, pos)
            if number:
                self.pos = number.end()
                yield self.token("IO_NUMBER", pos, self.pos)
                return
        if char.isalpha() or char == "_":
            assignment = _ASSIGN.match(text, pos)
            if assignment and self.accepts("ASSIGN"):
                self.pos = assignment.end()
                yield self.token("ASSIGN", pos, self.pos)
                if self.pos < self.end and text[self.pos] == "(":
                    yield from self.array()
                else:
                    yield from self.parts(stop, _PLAIN)
                    yield self.token("_WEND", self.pos, self.pos)
                return
        plain = _PLAIN.match(text, pos)
        after = plain.end() if plain else pos
        if plain and (after >= self.end or text[after] in stop):
            value = plain.group()
            reserved = RESERVED.get(value)
            if reserved is not None and self.is_reserved(reserved):
                self.pos = after
                yield self.token(reserved, pos, after)
                if reserved == "DLBRACKET":
                    yield from self.conditional(pos)
                return
            if value in UNSUPPORTED and self.accepts("LBRACE"):
                raise ShellSyntaxError(f"{UNSUPPORTED[value]} is not supported", pos)
            self.pos = after
            yield self.token("WORD", pos, after)
            return
        yield from self.word(stop, pos)

    def word(self, stop: str, pos: int, pattern: re.Pattern[str] = _PLAIN) -> Iterator[Token]:
        """A word of several parts (or one plain WORD), ended by a WEND token."""
        plain = pattern.match(self.text, pos)
        if plain and (plain.end() >= self.end or self.text[plain.end()] in stop):
            self.pos = plain.end()
            yield self.token("WORD", pos, self.pos)
            return
        self.pos = pos
        yield from self.parts(stop, pattern)
        yield self.token("_WEND", self.pos, self.pos)

    def array(self) -> Iterator[Token]:
        """`name=(a b c)`: words separated by blanks and newlines, comments allowed."""
        text, end = self.text, self.end
        opened = self.pos
        self.pos += 1
        yield self.token("ARRAY_START", opened, self.pos)
        while True:
            pos = self.pos = _skip(_BLANKS, text, self.pos)
            if pos >= end:
                raise ShellSyntaxError("unterminated array", opened, certain=True)
            char = text[pos]
            if char == "\n":
                self.pos = pos + 1
            elif char == "#":
                newline = text.find("\n", pos, end)
                self.pos = end if newline < 0 else newline
            elif char == ")":
                self.pos = pos + 1
                yield self.token("ARRAY_END", pos, pos + 1)
                return
            elif char in "|&;<>(":
                raise ShellSyntaxError(f"{char!r} inside an array", pos)
            else:
                yield from self.word(_COMMAND_STOP, pos)

    # -- word parts ----------------------------------------------------------------------------

    def parts(self, stop: str, pattern: re.Pattern[str]) -> Iterator[Token]:
        """Parts of one word until a character of `stop`; `pattern` matches a run of plain text."""
        text, end = self.text, self.end
        while self.pos < end:
            pos = self.pos
            char = text[pos]
            if char in stop:
                return
            if char == "\\":
                if text.startswith("\n", pos + 1):
                    self.pos = pos + 2  # a line continuation inside a word
                    continue
                self.pos = min(pos + 2, end)
                yield self.token("ESC", pos, self.pos)
            elif char == "'":
                close = text.find("'", pos + 1, end)
                if close < 0:
                    raise ShellSyntaxError("unterminated single quote", pos, certain=True)
                self.pos = close + 1
                yield self.token("SQ", pos, self.pos)
            elif char == '"':
                yield from self.double_quoted()
            elif char == "$":
                yield from self.dollar("LIT")
            elif char == "`":
                yield from self.backquoted()
            else:
                run = pattern.match(text, pos)
                self.pos = run.end() if run else pos + 1
                yield self.token("LIT", pos, self.pos)

    def double_quoted(self) -> Iterator[Token]:
        text, end = self.text, self.end
        opened = self.pos
        self.enter(opened)
        self.pos += 1
        yield self.token("DQ_START", opened, self.pos)
        while True:
            pos = self.pos
            if pos >= end:
                raise ShellSyntaxError("unterminated double quote", opened, certain=True)
            char = text[pos]
            if char == '"':
                self.pos = pos + 1
                self.depth -= 1
                yield self.token("DQ_END", pos, self.pos)
                return
            if char == "\\":
                yield from self.escape(pos, '"\\$`')
            elif char == "$":
                yield from self.dollar("DQ_TEXT")
            elif char == "`":
                yield from self.backquoted()
            else:
                run = _DQ_TEXT.match(text, pos)
                self.pos = run.end()  # type: ignore[union-attr]
                yield self.token("DQ_TEXT", pos, self.pos)

    def dollar(self, literal: str) -> Iterator[Token]:
        """What follows a `$`; `literal` is the token type of a `$` that starts nothing."""
        text, end = self.text, self.end
        pos = self.pos
        following = text[pos + 1:pos + 2]
        if following == "(":
            if text.startswith("((", pos + 1) and self.arithmetic_ahead(pos + 3):
                self.enter(pos)
                self.pos = pos + 3
                yield self.token("ARITH_START", pos, self.pos)
                yield from self.arithmetic(pos)
                self.depth -= 1
            else:
                yield from self.substitution("CMDSUB_START", pos, 2)
        elif following == "{":
            yield from self.parameter()
        elif following == "'" and literal == "LIT":
            quoted = _ANSI_C.match(text, pos, end)
            if quoted is None:
                raise ShellSyntaxError("unterminated $'...' quote", pos, certain=True)
            self.pos = quoted.end()
            yield self.token("ANSIC", pos, self.pos)
        elif following == '"' and literal == "LIT":
            self.pos = pos + 1  # $"..." (a translated string) is a double-quoted string
            yield from self.double_quoted()
        elif following and (following.isalpha() or following == "_"):
            name = _NAME.match(text, pos + 1)
            self.pos = name.end()  # type: ignore[union-attr]
            yield self.token("VAR", pos, self.pos)
        elif following and following in "@*#?$!-0123456789":
            self.pos = pos + 2
            yield self.token("VAR", pos, self.pos)
        else:
            self.pos = pos + 1
            yield self.token(literal, pos, self.pos)

    def substitution(self, kind: str, pos: int, width: int) -> Iterator[Token]:
        """`$(` or `<(` / `>(`: a command list up to the `)` that the parser does not take for itself."""
        self.enter(pos)
        self.pos = pos + width
        yield self.token(kind, pos, self.pos)
        yield from self.commands(")", pos)
        self.depth -= 1

    def backquoted(self) -> Iterator[Token]:
        pos = self.pos
        self.enter(pos)
        self.pos = pos + 1
        yield self.token("BQ_START", pos, self.pos)
        yield from self.commands("`", pos)
        self.depth -= 1

    def parameter(self) -> Iterator[Token]:
        """`${...}`: an optional `#`/`!`, the name, a subscript, then an operator and its words."""
        text, end = self.text, self.end
        opened = self.pos
        self.enter(opened)
        pos = self.pos = opened + 2
        yield self.token("PARAM_START", opened, pos)
        if pos < end and text[pos] in "#!" and pos + 1 < end and (text[pos + 1].isalnum() or text[pos + 1] in "_@*"):
            self.pos = pos + 1
            yield self.token("PARAM_PREFIX", pos, pos + 1)
            pos = self.pos
        name = _NAME.match(text, pos)
        if name is None and pos < end and text[pos].isdigit():
            name = _DIGITS.match(text, pos)
        stop = name.end() if name else pos + 1 if pos < end and text[pos] in "@*#?$!-" else pos
        if stop == pos:
            raise ShellSyntaxError("this ${...} expansion is not supported", opened)
        self.pos = stop
        yield self.token("PARAM_NAME", pos, stop)
        if stop < end and text[stop] == "[":
            close = _closing_bracket(text, stop, end)
            if close < 0:
                raise ShellSyntaxError("unterminated subscript", stop, certain=True)
            self.pos = close + 1
            yield self.token("PARAM_INDEX", stop, self.pos)
        pos = self.pos
        if pos < end and text[pos] != "}":
            operator = _PARAM_OP.match(text, pos)
            if operator is None:
                raise ShellSyntaxError("this ${...} expansion is not supported", opened)
            self.pos = operator.end()
            yield self.token("PARAM_OP", pos, self.pos)
            if operator.group().startswith("/"):
                yield from self.parts("}/", _PATTERN)
                if self.pos < end and text[self.pos] == "/":
                    self.pos += 1
                    yield self.token("PARAM_SLASH", self.pos - 1, self.pos)
                    yield from self.parts("}", _ARGUMENT)
            else:
                yield from self.parts("}", _ARGUMENT)
        if self.pos >= end:
            raise ShellSyntaxError("unterminated ${", opened, certain=True)
        self.pos += 1
        self.depth -= 1
        yield self.token("PARAM_END", self.pos - 1, self.pos)

    # -- arithmetic ----------------------------------------------------------------------------

    def arithmetic_ahead(self, pos: int) -> bool:
        """After `((`: is this arithmetic (closed by `))`) rather than a nested subshell?"""
        depth = 0
        text = self.text
        for index in range(pos, self.end):
            char = text[index]
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    return text.startswith(")", index + 1)
                depth -= 1
        return True  # unterminated either way; the arithmetic reader says where

    def skip_space(self) -> int:
        """Move past blanks, newlines and line continuations (inside `$(( ))` and `[[ ]]`); the new position."""
        text, end, pos = self.text, self.end, self.pos
        while pos < end and (text[pos] in " \t\n" or text.startswith("\\\n", pos)):
            pos += 2 if text[pos] == "\\" else 1
        self.pos = pos
        return pos

    def arithmetic(self, opened: int) -> Iterator[Token]:
        """Tokens of an arithmetic expression up to the `))` that closes it."""
        text, end = self.text, self.end
        depth = 0
        while True:
            pos = self.skip_space()
            if pos >= end:
                raise ShellSyntaxError("unterminated $((...))", opened, certain=True)
            char = text[pos]
            if char == ")":
                if depth == 0:
                    if not text.startswith("))", pos):
                        raise ShellSyntaxError("unbalanced parentheses in arithmetic", pos)
                    self.pos = pos + 2
                    yield self.token("ARITH_END", pos, pos + 2)
                    return
                depth -= 1
                self.pos = pos + 1
                yield self.token("_A_RPAREN", pos, pos + 1)
            elif char == "(":
                depth += 1
                self.pos = pos + 1
                yield self.token("_A_LPAREN", pos, pos + 1)
            elif char.isdigit():
                self.pos = _ARITH_NUMBER.match(text, pos).end()  # type: ignore[union-attr]
                yield self.token("ANUM", pos, self.pos)
            elif char.isalpha() or char == "_":
                stop = _NAME.match(text, pos).end()  # type: ignore[union-attr]
                if stop < end and text[stop] == "[":
                    close = _closing_bracket(text, stop, end)
                    if close < 0:
                        raise ShellSyntaxError("unterminated subscript", stop, certain=True)
                    stop = close + 1
                self.pos = stop
                yield self.token("ANAME", pos, stop)
            elif char == "$":
                yield from self.dollar("LIT")
            elif char == "`":
                yield from self.backquoted()
            else:
                operator = _ARITH_OPERATOR.match(text, pos)
                if operator is None:
                    raise ShellSyntaxError(f"{char!r} in arithmetic is not supported", pos)
                self.pos = operator.end()
                yield self.token(_ARITH_TOKENS[operator.group()], pos, self.pos)

    # -- [[ ]] ---------------------------------------------------------------------------------

    def conditional(self, opened: int) -> Iterator[Token]:
        """The inside of `[[ ... ]]`: `<` and `>` compare, `-f` and `==` are operators where they fit."""
        text, end = self.text, self.end
        regex_next = False
        while True:
            pos = self.skip_space()
            if pos >= end:
                raise ShellSyntaxError("unterminated [[", opened, certain=True)
            char = text[pos]
            if regex_next:
                regex_next = False
                yield from self.word(" \t\n", pos, _REGEX)
                continue
            if text.startswith(("&&", "||"), pos):
                self.pos = pos + 2
                yield self.token("AND_IF" if char == "&" else "OR_IF", pos, pos + 2)
            elif char in "()":
                self.pos = pos + 1
                yield self.token("LPAREN" if char == "(" else "RPAREN", pos, pos + 1)
            elif char in "<>":
                self.pos = pos + 1
                yield self.token("COND_BINARY", pos, pos + 1)
            elif char in "|&;":
                raise ShellSyntaxError(f"{char!r} inside [[ ]]", pos)
            else:
                plain = _PLAIN.match(text, pos)
                after = plain.end() if plain else pos
                if plain and (after >= end or text[after] in _COMMAND_STOP):
                    value = plain.group()
                    kind = "WORD"
                    if value == "]]" and self.accepts("DRBRACKET"):
                        self.pos = after
                        yield self.token("DRBRACKET", pos, after)
                        return
                    if value == "!" and self.accepts("BANG"):
                        kind = "BANG"
                    elif value in _COND_BINARY and self.accepts("COND_BINARY"):
                        kind = "COND_BINARY"
                        regex_next = value == "=~"
                    elif value in _COND_UNARY and self.accepts("COND_UNARY"):
                        kind = "COND_UNARY"
                    self.pos = after
                    yield self.token(kind, pos, after)
                else:
                    yield from self.word(_COMMAND_STOP, pos)

    # -- here-documents ------------------------------------------------------------------------

    def heredoc_word(self, strip_tabs: bool) -> HereDocToken:
        """The delimiter after `<<`; its body is read at the next newline (`read_heredocs`)."""
        text, end = self.text, self.end
        pos = self.pos = _skip(_BLANKS, text, self.pos)
        index = pos
        while index < end and text[index] not in _COMMAND_STOP:
            char = text[index]
            if char in "'\"":
                close = text.find(char, index + 1, end)
                if close < 0:
                    raise ShellSyntaxError("unterminated quote in a here-document delimiter", index, certain=True)
                index = close + 1
            else:
                index += 2 if char == "\\" else 1
        if index == pos:
            raise ShellSyntaxError("a here-document without a delimiter", pos, certain=True)
        raw = text[pos:index]
        token = HereDocToken("HEREDOC_WORD", raw, pos, None, None, None, None, index)
        token.delimiter = re.sub(r"\\(.)|['\"]", r"\1", raw)
        token.quoted = any(char in raw for char in "'\"\\")
        token.strip_tabs = strip_tabs
        token.body_start = token.body_end = index
        token.closed = True
        self.pos = index
        self.pending.append(token)
        return token

    def read_heredocs(self) -> None:
        """At a newline: the bodies of the here-documents opened on the line, in order."""
        text, end = self.text, self.end
        for token in self.pending:
            token.body_start = pos = self.pos
            while True:
                if pos >= end:
                    token.body_end = self.pos = end  # bash warns, and takes the rest of the script
                    token.closed = False
                    break
                newline = text.find("\n", pos, end)
                stop = end if newline < 0 else newline
                line = text[pos:stop]
                if (line.lstrip("\t") if token.strip_tabs else line) == token.delimiter:
                    token.body_end = pos
                    self.pos = min(stop + 1, end)
                    break
                pos = stop + 1
        self.pending.clear()

    def escape(self, pos: int, escapable: str) -> Iterator[Token]:
        """A backslash inside double quotes or a here-document body: a line continuation vanishes,
        an escapable character is an escape, any other backslash is plain text."""
        following = self.text[pos + 1:pos + 2]
        if following == "\n":
            self.pos = pos + 2
        elif following and following in escapable:
            self.pos = pos + 2
            yield self.token("DQ_ESC", pos, self.pos)
        else:
            self.pos = pos + 1
            yield self.token("DQ_TEXT", pos, self.pos)

    def heredoc_body(self) -> Iterator[Token]:
        """An unquoted here-document's body: text, `\\$`-style escapes and expansions."""
        text, end = self.text, self.end
        line_start = True
        while self.pos < end:
            pos = self.pos
            if line_start and self.strip_tabs:
                while pos < end and text[pos] == "\t":
                    pos += 1
                self.pos = pos
                if pos >= end:
                    return
            char = text[pos]
            line_start = char == "\n"
            if char == "\\":
                yield from self.escape(pos, "\\$`")
            elif char == "$":
                yield from self.dollar("DQ_TEXT")
            elif char == "`":
                yield from self.backquoted()
            elif char == "\n":
                self.pos = pos + 1
                yield self.token("DQ_TEXT", pos, self.pos)
            else:
                self.pos = _HEREDOC_TEXT.match(text, pos).end()  # type: ignore[union-attr]
                yield self.token("DQ_TEXT", pos, self.pos)


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Past what `pattern` (which matches the empty string too) matches at `pos`."""
    match = pattern.match(text, pos)
    assert match is not None
    return match.end()


def _closing_bracket(text: str, pos: int, end: int) -> int:
    """The `]` matching the `[` at `pos` (subscripts may nest), or -1."""
    depth = 0
    for index in range(pos, end):
        char = text[index]
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        elif char == "\n":
            return -1
    return -1
