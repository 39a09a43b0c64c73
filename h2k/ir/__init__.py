"""The neutral model shared by every front-end and backend: a stack and its expressions."""

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Condition, Output, Parameter, Replication, Resource, Stack

__all__ = ["Call", "Condition", "Expr", "ListExpr", "Literal", "MapExpr", "Output", "Parameter", "Replication",
           "Resource", "Stack"]
