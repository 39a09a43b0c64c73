"""Walking and rewriting expressions, so passes do not each repeat the recursion."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from h2k.ir.expr import Call, Expr, ListExpr, MapExpr


def calls(expr: Expr | None) -> Iterator[Call]:
    """Every call in an expression, outermost first."""
    if isinstance(expr, ListExpr):
        for item in expr.items:
            yield from calls(item)
    elif isinstance(expr, MapExpr):
        for _, value in expr.entries:
            yield from calls(value)
    elif isinstance(expr, Call):
        yield expr
        yield from calls(expr.args)


def rewrite_calls(expr: Expr, rewrite: Callable[[Call], Expr]) -> Expr:
    """The expression with every call replaced by `rewrite(call)`, its arguments rewritten first."""
    if isinstance(expr, ListExpr):
        return dataclasses.replace(expr, items=tuple(rewrite_calls(i, rewrite) for i in expr.items))
    if isinstance(expr, MapExpr):
        return dataclasses.replace(expr, entries=tuple((k, rewrite_calls(v, rewrite)) for k, v in expr.entries))
    if isinstance(expr, Call):
        return rewrite(dataclasses.replace(expr, args=rewrite_calls(expr.args, rewrite)))
    return expr


def rewrite_map(expr: MapExpr, rewrite: Callable[[Call], Expr]) -> MapExpr:
    rewritten = rewrite_calls(expr, rewrite)
    assert isinstance(rewritten, MapExpr)
    return rewritten
