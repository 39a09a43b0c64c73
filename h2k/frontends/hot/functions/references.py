"""get_resource, get_attr and resource_facade: values that exist only once Heat creates resources.

They are checked for their shape here and stay calls; the backends lower what they can.
"""

from __future__ import annotations

from h2k.frontends.hot.functions.base import Evaluation, FunctionError, Implementation, raw_is_list, raw_is_string
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr


def get_resource(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if isinstance(args, ListExpr | MapExpr) or (isinstance(args, Literal) and not isinstance(args.value, str)):
        raise FunctionError('"get_resource" takes the name of a resource')
    return None


def get_attr(all_attributes: bool) -> Implementation:
    """GetAtt(ThenSelect) needs [resource, attribute, path...]; from 2015-10-15 [resource] alone works."""

    def implementation(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
        raw = call.args
        if all_attributes:
            if (isinstance(raw, ListExpr) and not raw.items) or (isinstance(raw, Literal) and not raw.value):
                raise FunctionError('Arguments to "get_attr" can be of the next forms: [resource_name] or '
                                    "[resource_name, attribute, (path), ...]")
            if not raw_is_list(raw):
                raise FunctionError('Argument to "get_attr" must be a list')
            return None
        if not raw_is_list(raw) or raw_is_string(raw):
            raise FunctionError('Argument to "get_attr" must be a list')
        assert isinstance(raw, ListExpr)
        if len(raw.items) < 2:
            raise FunctionError('Arguments to "get_attr" must be of the form [resource_name, attribute, (path), ...]')
        return None

    return implementation


_FACADE = ("metadata", "deletion_policy", "update_policy")


def resource_facade(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not (isinstance(raw, Literal) and raw.value in _FACADE):
        raise FunctionError('Incorrect arguments to "resource_facade" should be one of: ' + ", ".join(_FACADE))
    return None
