"""yaql, evaluated with the `yaql` package (the engine Heat uses) under Heat's own limits."""

from __future__ import annotations

from functools import cache
from typing import Any

from h2k.frontends.hot.functions.base import (
    Evaluation,
    FunctionError,
    LimitError,
    data,
    known,
    raw_is_call,
    raw_is_map,
    result,
)
from h2k.ir.expr import Call, Expr, MapExpr

# Heat's defaults for [yaql] limit_iterators and memory_quota.
LIMIT_ITERATORS = 200
MEMORY_QUOTA = 10000

_EXAMPLE = """yaql:
              expression: $.data.var1.sum()
              data:
                var1: [3, 2, 1]"""


@cache
def _engine() -> tuple[Any, Any]:
    import yaql  # imported on first use: most templates have no yaql

    options = {"yaql.limitIterators": LIMIT_ITERATORS, "yaql.memoryQuota": MEMORY_QUOTA}
    return yaql.YaqlFactory().create(options), yaql.create_context()


def _parse(expression: Any) -> Any:
    from yaql.language import exceptions

    if not isinstance(expression, str):
        raise FunctionError('The "expression" argument to yaql must contain a string.')
    parser, _context = _engine()
    try:
        return parser(expression)
    except exceptions.YaqlException as error:
        raise FunctionError(f"Bad expression {error}.") from None


def yaql_function(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not raw_is_map(raw):
        raise FunctionError('Arguments to "yaql" must be a map.')
    assert isinstance(raw, MapExpr)
    if raw.get("expression") is None or set(raw.keys()) - {"expression", "data"}:
        raise FunctionError(f'"yaql" syntax should be {_EXAMPLE}')
    written = raw.get("expression")
    if written is not None and not raw_is_call(written):
        _parse(data(written) if known(written) else None)
    assert isinstance(args, MapExpr)
    expression, data_expr = args.get("expression"), args.get("data")
    if expression is None or not known(expression) or (data_expr is not None and not known(data_expr)):
        return None
    statement = _parse(data(expression))
    value = {} if data_expr is None else data(data_expr)
    from yaql.language import exceptions

    _parser, context = _engine()
    try:
        return result(statement.evaluate({"data": value}, context.create_child_context()), call, ev)
    except exceptions.CollectionTooLargeException as error:
        raise LimitError(f"yaql: {error}") from None
    except exceptions.MemoryQuotaExceededException as error:
        raise LimitError(f"yaql: {error}") from None
    except (exceptions.YaqlException, TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        raise FunctionError(f"yaql: {error}") from None
