"""A one-line summary of a script's syntax tree, for test cases and for reading a tree by eye.

Commands are `(...)` with a tag (`cmd`, `if`, `for`, `test` for `[[ ]]`, `|`...), lists are `{...}` with `;`
between statements, words are their text when they are plain and a `(w ...)` of their parts
otherwise: `'text'` is quoted text, `"..."` a double-quoted string, `$x` / `${x:-...}` a
parameter, `(sub ...)` / `(backquote ...)` / `(procsub< ...)` a substitution, `(arith ...)`
arithmetic in prefix form.
"""

from __future__ import annotations

import re

from h2k.frontends.shell import ast

_PLAIN = re.compile(r"[^\s'\"(){};$`\\]+")
_SUBSTITUTIONS = {"$(": "sub", "`": "backquote", "<(": "procsub<", ">(": "procsub>"}


def dump(script: ast.Script) -> str:
    return _body(script.body)


def _body(statements: tuple[ast.Statement, ...]) -> str:
    return "; ".join(_statement(s) for s in statements)


def _block(statements: tuple[ast.Statement, ...]) -> str:
    return "{" + _body(statements) + "}"


def _statement(statement: ast.Statement) -> str:
    text = _command(statement.command)
    return f"{text} &" if statement.background else text


def _command(node: ast.Command | ast.Pipeline | ast.AndOr) -> str:
    if isinstance(node, ast.AndOr):
        pieces = [_command(node.first)]
        for operator, command in node.rest:
            pieces += [operator, _command(command)]
        return "(" + " ".join(pieces) + ")"
    if isinstance(node, ast.Pipeline):
        inner = " ".join(_command(c) for c in node.commands)
        piped = f"(| {inner})" if len(node.commands) > 1 else inner
        return f"(! {piped})" if node.negated else piped
    if isinstance(node, ast.SimpleCommand):
        items = [_assignment(a) for a in node.assignments] + [_word(w) for w in node.words]
        return "(cmd " + " ".join(items + [_redirect(r) for r in node.redirects]) + ")"
    if isinstance(node, ast.Declaration):
        items = [_assignment(a) for a in node.assignments] + [node.builtin]
        items += [_assignment(a) if isinstance(a, ast.Assignment) else _word(a) for a in node.arguments]
        return "(decl " + " ".join(items + [_redirect(r) for r in node.redirects]) + ")"
    if isinstance(node, ast.FunctionDef):
        return f"(function {node.name} {_command(node.body)})"
    return _compound(node) + "".join(" " + _redirect(r) for r in node.redirects)


def _compound(node: ast.Command) -> str:
    if isinstance(node, ast.Group):
        return f"(group {_block(node.body)})"
    if isinstance(node, ast.Subshell):
        return f"(subshell {_block(node.body)})"
    if isinstance(node, ast.If):
        pieces = []
        for index, (condition, then) in enumerate(node.branches):
            pieces.append(f"{'if' if index == 0 else 'elif'} {_block(condition)} {_block(then)}")
        if node.otherwise is not None:
            pieces.append(f"else {_block(node.otherwise)}")
        return "(" + " ".join(pieces) + ")"
    if isinstance(node, ast.For):
        words = "" if node.words is None else " ".join([" in", *(_word(w) for w in node.words)])
        return f"(for {node.name}{words} {_block(node.body)})"
    if isinstance(node, ast.ArithFor):
        slots = "; ".join("" if a is None else _arith(a) for a in (node.init, node.condition, node.step))
        return f"(for-arith ({slots}) {_block(node.body)})"
    if isinstance(node, ast.While):
        keyword = "until" if node.until else "while"
        return f"({keyword} {_block(node.condition)} {_block(node.body)})"
    if isinstance(node, ast.Case):
        items = " ".join(_case_item(i) for i in node.items)
        return f"(case {_word(node.word)} {items})" if items else f"(case {_word(node.word)})"
    if isinstance(node, ast.Conditional):
        return f"(test {_cond(node.expression)})"
    if isinstance(node, ast.ArithCommand):
        return f"(arith-cmd {_arith(node.expression)})"
    raise AssertionError(type(node).__name__)


def _case_item(item: ast.CaseItem) -> str:
    patterns = "|".join(_word(p) for p in item.patterns)
    end = f" {item.terminator}" if item.terminator else ""
    return f"({patterns} {_block(item.body)}{end})"


def _assignment(node: ast.Assignment) -> str:
    target = node.name + (node.index or "") + ("+=" if node.append else "=")
    if node.array is not None:
        return f"({target} [" + " ".join(_word(w) for w in node.array) + "])"
    if node.value is None:
        return f"({target})"
    return f"({target} {_word(node.value)})" if node.value.parts else f"({target})"


def _redirect(node: ast.Redirect) -> str:
    fd = "" if node.fd is None else str(node.fd)
    if node.heredoc is not None:
        doc = node.heredoc
        quoted = "'" if doc.quoted else ""
        return f"({fd}{node.operator}{quoted}{doc.delimiter}{quoted} {_parts(doc.body.parts)})"
    assert node.target is not None
    return f"({fd}{node.operator} {_word(node.target)})"


def _word(word: ast.Word) -> str:
    parts = word.parts
    if len(parts) == 1:
        only = parts[0]
        if isinstance(only, ast.Literal) and not only.quoted and _PLAIN.fullmatch(only.text):
            return only.text
        return _part(only)
    return f"(w {_parts(parts)})" if parts else "''"


def _parts(parts: tuple[ast.WordPart, ...]) -> str:
    return " ".join(_part(p) for p in parts) if parts else "''"


def _part(part: ast.WordPart) -> str:
    if isinstance(part, ast.Literal):
        if not part.quoted and _PLAIN.fullmatch(part.text):
            return part.text
        return _quote(part.text)
    if isinstance(part, ast.DoubleQuoted):
        return '"' + " ".join(_part(p) for p in part.parts) + '"'
    if isinstance(part, ast.Parameter):
        return _parameter(part)
    if isinstance(part, ast.CommandSubstitution):
        return f"({_SUBSTITUTIONS[part.style]} {_body(part.body)})" if part.body else f"({_SUBSTITUTIONS[part.style]})"
    return f"(arith {_arith(part.expression)})" if part.expression is not None else "(arith)"


def _parameter(node: ast.Parameter) -> str:
    if not node.braced:
        return "$" + node.name
    inside = (node.prefix or "") + node.name + (node.index or "")
    if node.operator is not None:
        inside += " " + node.operator
        if node.argument is not None and node.argument.parts:
            inside += " " + _word(node.argument)
        if node.replacement is not None:
            inside += " / " + _word(node.replacement)
    return "${" + inside + "}"


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t") + "'"


def _cond(node: ast.Cond) -> str:
    if isinstance(node, ast.CondTest):
        operands = [_word(w) for w in node.operands]
        if node.operator is None:
            return operands[0]
        if len(operands) == 2:
            return f"({operands[0]} {node.operator} {operands[1]})"
        return f"({node.operator}" + "".join(" " + o for o in operands) + ")"
    if isinstance(node, ast.CondNot):
        return f"(! {_cond(node.operand)})"
    return f"({_cond(node.left)} {node.operator} {_cond(node.right)})"


def _arith(node: ast.Arith) -> str:
    if isinstance(node, ast.ArithNumber):
        return node.text
    if isinstance(node, ast.ArithVariable):
        return node.name
    if isinstance(node, ast.ArithWord):
        return _part(node.part)
    if isinstance(node, ast.ArithUnary):
        if node.postfix:
            return f"({_arith(node.operand)} {node.operator})"
        return f"({node.operator} {_arith(node.operand)})"
    if isinstance(node, ast.ArithBinary):
        return f"({node.operator} {_arith(node.left)} {_arith(node.right)})"
    if isinstance(node, ast.ArithConditional):
        return f"(? {_arith(node.condition)} {_arith(node.then)} {_arith(node.otherwise)})"
    return f"({node.operator} {node.target} {_arith(node.value)})"
