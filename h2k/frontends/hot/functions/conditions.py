"""Condition functions (equals, not, and, or) and `if`, which picks a branch before anything else."""

from __future__ import annotations

from h2k.frontends.hot.functions.base import (
    ABSENT,
    Absent,
    Evaluation,
    FunctionError,
    Implementation,
    data,
    known,
    result,
)
from h2k.ir.expr import Call, Expr, ListExpr, Literal


def equals(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not isinstance(raw, ListExpr) or len(raw.items) != 2:
        raise FunctionError('Arguments to "equals" must be of the form: [value_1, value_2]')
    if not known(args):
        return None
    first, second = data(args)
    return result(first == second, call, ev)


def negation(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if isinstance(call.args, Literal) and call.args.value is None:
        raise FunctionError('Argument to "not" must be a condition')
    if not known(args):
        return None
    value = ev.condition_value(data(args), call.span)
    return None if value is None else result(not value, call, ev)


def junction(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """`and` / `or`: all() / any() over conditions, short-circuiting as Heat does."""
    name = call.function
    raw = call.args
    if not isinstance(raw, ListExpr):
        raise FunctionError(f'Arguments to "{name}" must be a list of conditions')
    if len(raw.items) < 2:
        raise FunctionError(f'The minimum number of condition arguments to "{name}" is 2.')
    if not known(args):
        return None
    wanted = name == "or"
    for item in data(args):
        value = ev.condition_value(item, call.span)
        if value is None:
            return None
        if value == wanted:
            return result(wanted, call, ev)
    return result(not wanted, call, ev)


def if_branch(nullable: bool) -> Implementation:
    """A macro: only the chosen branch is evaluated (or validated) at all."""

    def implementation(call: Call, args: Expr, ev: Evaluation) -> Expr | Absent | None:
        raw = call.args
        count = len(raw.items) if isinstance(raw, ListExpr) else 0
        if not isinstance(raw, ListExpr) or not (2 <= count <= 3 if nullable else count == 3):
            raise FunctionError('Arguments to "if" must be of the form: '
                                "[condition_name, value_if_true, value_if_false]")
        chosen = ev.decide(raw.items[0])
        if chosen is None:
            return None
        if chosen:
            return ev.fold(raw.items[1])
        return ev.fold(raw.items[2]) if count == 3 else ABSENT

    return implementation
