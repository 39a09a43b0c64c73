"""From lark's parse tree to the typed syntax tree, with spans in the template.

Positions in the parse tree are offsets into the script; `Positions` turns them into file spans
through the script's `Origin`. Unquoted here-document bodies are parsed here, with the grammar's
second start rule, because their text is only known once the lexer has passed their newline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from lark import Token, Tree

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.shell import ast
from h2k.frontends.shell.lexer import HereDocToken
from h2k.frontends.shell.origin import Origin
from h2k.span import Span

# Parses an unquoted here-document's body (script text, start, end, strip tabs) into a tree.
HereDocParser = Callable[[str, int, int, bool], Tree]

_ANSI_ESCAPES = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)", re.DOTALL)
_ANSI_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f",
                "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_LEADING_TABS = re.compile(r"(?m)^\t+")


class Positions:
    """Offsets in a script to spans in its file."""

    def __init__(self, text: str, origin: Origin) -> None:
        self.origin = origin
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def location(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in the script."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        # Called for every node: Origin.span's arithmetic, inlined.
        origin = self.origin
        if not origin.exact:
            return Span(origin.file, origin.line, origin.column, origin.line, origin.column)
        starts = self.line_starts
        line = bisect_right(starts, start)
        column = origin.column + start if line == 1 else origin.indent + start - starts[line - 1] + 1
        if end < self.next_start(line):
            end_line = line
            end_column = column + end - start
        else:
            end_line = bisect_right(starts, end, line)
            end_column = origin.indent + end - starts[end_line - 1] + 1
        first = origin.line - 1
        return Span(origin.file, first + line, column, first + end_line, end_column)

    def next_start(self, line: int) -> int:
        """Where the line after `line` starts (past the end for the last line)."""
        starts = self.line_starts
        return starts[line] if line < len(starts) else 1 << 62


class Builder:
    def __init__(self, text: str, origin: Origin, parse_heredoc: HereDocParser) -> None:
        self.text = text
        self.positions = Positions(text, origin)
        self.parse_heredoc = parse_heredoc
        self.findings = DiagnosticSink()

    # -- helpers -------------------------------------------------------------------------------

    def span_of(self, node: Tree | Token) -> Span:
        """From the node's first token to its last (tokens that open and close a construct are kept)."""
        if isinstance(node, Token):
            return self.positions.span(node.start_pos or 0, node.end_pos or 0)
        return self.positions.span(_start(node), _end(node))

    def span_between(self, first: Tree | Token, last: Tree | Token) -> Span:
        return self.span_of(first).through(self.span_of(last))

    # -- lists ---------------------------------------------------------------------------------

    def script(self, tree: Tree) -> ast.Script:
        body = self.statements(tree.children)
        return ast.Script(body, self.positions.span(0, len(self.text)), tuple(self.findings.items))

    def statements(self, children: Sequence[Any]) -> tuple[ast.Statement, ...]:
        """`and_or` trees, each maybe followed by an `&` token (it runs in the background)."""
        result: list[ast.Statement] = []
        for index, child in enumerate(children):
            if isinstance(child, Tree) and child.data == "and_or":
                command = self.and_or(child)
                following = children[index + 1] if index + 1 < len(children) else None
                if isinstance(following, Token) and following.type == "AMP":
                    result.append(ast.Statement(command, command.span.through(self.span_of(following)), True))
                else:
                    result.append(ast.Statement(command, command.span))
        return tuple(result)

    def body(self, tree: Tree) -> tuple[ast.Statement, ...]:
        return self.statements(tree.children)

    def and_or(self, tree: Tree) -> ast.Command | ast.Pipeline | ast.AndOr:
        children = tree.children
        first = self.pipeline(children[0])
        if len(children) == 1:
            return first
        rest = tuple((str(children[i]), self.pipeline(children[i + 1])) for i in range(1, len(children), 2))
        return ast.AndOr(first, rest, self.span_of(tree))

    def pipeline(self, tree: Tree) -> ast.Command | ast.Pipeline:
        children = tree.children
        negated = isinstance(children[0], Token) and children[0].type == "BANG"
        commands = tuple(self.command(c) for c in children if isinstance(c, Tree))
        if len(commands) == 1 and not negated:
            return commands[0]
        return ast.Pipeline(commands, self.span_of(tree), negated)

    def command(self, tree: Tree) -> ast.Command:
        kind = tree.data
        if kind == "simple_command":
            return self.simple_command(tree)
        if kind == "declaration":
            return self.declaration(tree)
        if kind == "function_def":
            name = next(c for c in tree.children if isinstance(c, Token) and c.type == "WORD")
            return ast.FunctionDef(str(name), self.compound(tree.children[-1]), self.span_of(tree))
        return self.compound(tree)

    # -- simple commands -----------------------------------------------------------------------

    def simple_command(self, tree: Tree) -> ast.SimpleCommand:
        words, assignments, redirects = [], [], []
        for child in tree.children:
            if child.data == "word":
                words.append(self.word(child))
            elif child.data == "assignment":
                assignments.append(self.assignment(child))
            else:
                redirects.append(self.redirect(child))
        return ast.SimpleCommand(tuple(words), self.span_of(tree), tuple(assignments), tuple(redirects))

    def declaration(self, tree: Tree) -> ast.Declaration:
        builtin = ""
        arguments: list[ast.Word | ast.Assignment] = []
        assignments: list[ast.Assignment] = []
        redirects: list[ast.Redirect] = []
        for child in tree.children:
            if isinstance(child, Token):
                builtin = str(child)
            elif child.data == "redirect":
                redirects.append(self.redirect(child))
            elif child.data == "assignment":
                (arguments if builtin else assignments).append(self.assignment(child))
            else:
                arguments.append(self.word(child))
        return ast.Declaration(builtin, tuple(arguments), self.span_of(tree), tuple(assignments), tuple(redirects))

    def assignment(self, tree: Tree) -> ast.Assignment:
        head, *rest = tree.children
        assert isinstance(head, Token)
        text = str(head)[:-1]  # without the "="
        append = text.endswith("+")
        text = text.removesuffix("+")
        name, _, index = text.partition("[")
        span = self.span_of(tree)
        subscript = "[" + index if index else None
        if rest and isinstance(rest[0], Token) and rest[0].type == "ARRAY_START":
            items = tuple(self.word(c) for c in rest if isinstance(c, Tree))
            return ast.Assignment(name, span, array=items, append=append, index=subscript)
        value = ast.Word(self.parts(rest), self.positions.span(head.end_pos or 0, _end(tree)))
        return ast.Assignment(name, span, value=value, append=append, index=subscript)

    def redirect(self, tree: Tree) -> ast.Redirect:
        children = tree.children
        fd = None
        if isinstance(children[0], Token) and children[0].type == "IO_NUMBER":
            fd = int(children[0])
            children = children[1:]
        operator, target = children
        span = self.span_of(tree)
        if isinstance(target, HereDocToken):
            return ast.Redirect(str(operator), span, fd, heredoc=self.heredoc(target))
        return ast.Redirect(str(operator), span, fd, target=self.word(target))

    def heredoc(self, token: HereDocToken) -> ast.HereDoc:
        start, end = token.body_start, token.body_end
        if not token.closed:
            self.findings.report("H2K603", f"the here-document `{token.delimiter}` is never closed: bash reads "
                                 "the rest of the script as its text", self.span_of(token))
        span = self.positions.span(start, end)
        if token.quoted:
            text = self.text[start:end]
            if token.strip_tabs:
                text = _LEADING_TABS.sub("", text)
            parts: tuple[ast.WordPart, ...] = (ast.Literal(text, span, True),) if text else ()
        else:
            tree = self.parse_heredoc(self.text, start, end, token.strip_tabs)
            parts = self.parts(tree.children, quoted=True)
        return ast.HereDoc(token.delimiter, ast.Word(parts, span), token.quoted, token.strip_tabs)

    # -- words ---------------------------------------------------------------------------------

    def word(self, tree: Tree) -> ast.Word:
        children = tree.children
        if len(children) == 1 and isinstance(children[0], Token) and children[0].type == "WORD":  # plain text
            span = self.span_of(children[0])
            return ast.Word((ast.Literal(str(children[0]), span),), span)
        return ast.Word(self.parts(children), self.span_of(tree))

    def parts(self, children: Sequence[Any], quoted: bool = False) -> tuple[ast.WordPart, ...]:
        """Word parts, with adjacent literal text of the same quoting merged into one `Literal`."""
        result: list[ast.WordPart] = []
        for child in children:
            part = self.part(child, quoted)
            if part is None:
                continue
            previous = result[-1] if result else None
            if (isinstance(part, ast.Literal) and isinstance(previous, ast.Literal)
                    and previous.quoted == part.quoted):
                result[-1] = ast.Literal(previous.text + part.text, previous.span.through(part.span), part.quoted)
            else:
                result.append(part)
        return tuple(result)

    def part(self, child: Tree | Token, quoted: bool) -> ast.WordPart | None:
        if isinstance(child, Token):
            kind = child.type
            text = str(child)
            if kind in ("WORD", "LIT"):
                return ast.Literal(text, self.span_of(child), quoted)
            if kind == "DQ_TEXT":
                return ast.Literal(text, self.span_of(child), True)
            if kind in ("ESC", "DQ_ESC"):
                return ast.Literal(text[1:] if len(text) > 1 else text, self.span_of(child), True)
            if kind == "SQ":
                return ast.Literal(text[1:-1], self.span_of(child), True)
            if kind == "ANSIC":
                return ast.Literal(_ansi_c(text[2:-1]), self.span_of(child), True)
            if kind == "VAR":
                return ast.Parameter(text[1:], self.span_of(child))
            return None  # DQ_START, DQ_END and other punctuation
        kind = child.data
        if kind == "double_quoted":
            return ast.DoubleQuoted(self.parts(child.children[1:-1], quoted=True), self.span_of(child))
        if kind == "parameter":
            return self.parameter(child)
        if kind in ("command_sub", "backquoted", "process_sub"):
            opener = child.children[0]
            return ast.CommandSubstitution(self.statements(child.children[1:-1]), self.span_of(child), str(opener))
        if kind == "arithmetic":
            inner = [c for c in child.children if isinstance(c, Tree) or c.type not in ("ARITH_START", "ARITH_END")]
            expression = self.arith(inner[0]) if inner else None
            return ast.ArithmeticExpansion(expression, self.span_of(child))
        raise AssertionError(f"unexpected word part {kind}")

    def parameter(self, tree: Tree) -> ast.Parameter:
        fields: dict[str, str] = {}
        words: list[ast.Word] = []
        for child in tree.children:
            if isinstance(child, Token):
                fields[child.type] = str(child)
            else:
                span = self.span_of(child) if child.children else self.span_of(tree)
                words.append(ast.Word(self.parts(child.children), span))
        return ast.Parameter(fields["PARAM_NAME"], self.span_of(tree), braced=True, prefix=fields.get("PARAM_PREFIX"),
                             index=fields.get("PARAM_INDEX"), operator=fields.get("PARAM_OP"),
                             argument=words[0] if words else None, replacement=words[1] if len(words) > 1 else None)

    # -- compound commands ---------------------------------------------------------------------

    def compound(self, tree: Tree) -> ast.Command:
        inner, *rest = tree.children
        redirects = tuple(self.redirect(r) for r in rest)
        span = self.span_of(tree)
        kind = inner.data
        children = inner.children
        if kind == "brace_group":
            return ast.Group(self.body(children[1]), span, redirects)
        if kind == "subshell":
            return ast.Subshell(self.statements(children), span, redirects)
        if kind == "if_clause":
            bodies = [c for c in children if isinstance(c, Tree) and c.data == "body"]
            branches = [(self.body(bodies[0]), self.body(bodies[1]))]
            branches.extend((self.body(e.children[0]), self.body(e.children[1]))
                            for e in children if isinstance(e, Tree) and e.data == "elif_part")
            otherwise = self.body(bodies[2]) if len(bodies) > 2 else None
            return ast.If(tuple(branches), span, otherwise, redirects)
        if kind == "for_clause":
            name = str(children[1])
            has_in = any(isinstance(c, Token) and c.type == "IN" for c in children)
            words = tuple(self.word(c) for c in children if isinstance(c, Tree) and c.data == "word")
            return ast.For(name, words if has_in else None, self.body(children[-2]), span, redirects)
        if kind == "arith_for":
            slots = [c for c in children if isinstance(c, Tree) and c.data == "arith_slot"]
            init, condition, step = (self.arith(s.children[0]) if s.children else None for s in slots)
            return ast.ArithFor(init, condition, step, self.body(children[-2]), span, redirects)
        if kind == "while_clause":
            keyword, test, body, _done = children
            until = isinstance(keyword, Token) and keyword.type == "UNTIL"
            return ast.While(self.body(test), self.body(body), span, until, redirects)
        if kind == "case_clause":
            items = tuple(self.case_item(c) for c in children if isinstance(c, Tree) and c.data != "word")
            return ast.Case(self.word(children[1]), items, span, redirects)
        if kind == "cond_command":
            return ast.Conditional(self.cond(children[1]), span, redirects)
        if kind == "arith_command":
            return ast.ArithCommand(self.arith(children[1]), span, redirects)
        raise AssertionError(f"unexpected compound command {kind}")

    def case_item(self, tree: Tree) -> ast.CaseItem:
        patterns = tuple(self.word(c) for c in tree.children if isinstance(c, Tree) and c.data == "word")
        end = tree.children[-1]
        terminator = str(end) if isinstance(end, Token) and end.type == "CASE_END" else None
        return ast.CaseItem(patterns, self.statements(tree.children), self.span_of(tree), terminator)

    # -- [[ ]] ---------------------------------------------------------------------------------

    def cond(self, tree: Tree) -> ast.Cond:
        kind = tree.data
        children = tree.children
        span = self.span_of(tree)
        if kind == "cond_test":
            operator = next((str(c) for c in children if isinstance(c, Token)), None)  # -f, ==, ...
            return ast.CondTest(tuple(self.word(c) for c in children if isinstance(c, Tree)), span, operator)
        if kind == "cond_negation":
            return ast.CondNot(self.cond(children[1]), span)
        if kind == "cond_group":
            return self.cond(children[1])
        # cond_or / cond_and: operands joined by && or ||, left to right
        result = self.cond(children[0])
        for index in range(1, len(children), 2):
            right = self.cond(children[index + 1])
            result = ast.CondLogical(str(children[index]), result, right, self.span_of(children[0]).through(right.span))
        return result

    # -- arithmetic ----------------------------------------------------------------------------

    def arith(self, node: Tree | Token) -> ast.Arith:
        if isinstance(node, Token):  # an expansion written as a bare token ($x)
            return ast.ArithWord(ast.Parameter(str(node)[1:], self.span_of(node)), self.span_of(node))
        kind = node.data
        children = node.children
        span = self.span_of(node)
        if kind == "arith_number":
            return ast.ArithNumber(str(children[0]), span)
        if kind == "arith_variable":
            return ast.ArithVariable(str(children[0]), span)
        if kind == "arith_word":
            part = self.part(children[0], quoted=False)
            assert part is not None
            return ast.ArithWord(part, span)
        if kind == "arith_prefix":
            return ast.ArithUnary(str(children[0]), self.arith(children[1]), span)
        if kind == "arith_suffix":
            return ast.ArithUnary(str(children[1]), ast.ArithVariable(str(children[0]), self.span_of(children[0])),
                                  span, postfix=True)
        if kind == "arith_assignment":
            return ast.ArithAssign(str(children[1]), str(children[0]), self.arith(children[2]), span)
        if kind == "arith_ternary":
            return ast.ArithConditional(self.arith(children[0]), self.arith(children[2]), self.arith(children[4]),
                                        span)
        if kind == "arith_power":
            return ast.ArithBinary("**", self.arith(children[0]), self.arith(children[2]), span)
        # a left-associative chain: operand (operator operand)*
        result = self.arith(children[0])
        for index in range(1, len(children), 2):
            right = self.arith(children[index + 1])
            result = ast.ArithBinary(str(children[index]), result, right, result.span.through(right.span))
        return result


def _start(node: Tree | Token) -> int:
    while isinstance(node, Tree):
        if not node.children:
            return 0
        node = node.children[0]
    return node.start_pos or 0


def _end(node: Tree | Token) -> int:
    while isinstance(node, Tree):
        if not node.children:
            return 0
        node = node.children[-1]
    return node.end_pos or 0


def _ansi_c(body: str) -> str:
    """The value of a `$'...'` string's body."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        head = escape[0]
        if head in "xuU" and len(escape) > 1:
            return chr(int(escape[1:], 16))
        if head.isdigit():
            return chr(int(escape, 8) & 0xFF)
        if head == "c" and len(escape) == 2:
            return chr(ord(escape[1].upper()) ^ 0x40)
        return _ANSI_SIMPLE.get(escape, "\\" + escape)

    return _ANSI_ESCAPES.sub(replace, body)
