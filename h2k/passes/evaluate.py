"""Evaluate what is known at compile time, with Heat's semantics, version by version.

Conditions are decided first; a resource whose condition is false leaves the stack (it is kept
in `Stack.disabled` for the report). Then every call whose inputs are known is replaced by its
value: arguments first, except for `if`, which picks its branch before anything in the branch
is evaluated, so an untaken branch is never evaluated or checked, as in Heat. Calls that depend
on deploy-time values (`get_resource`, `get_attr`, `OS::stack_id`) stay calls for the backends.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from h2k.frontends.hot.functions import (
    MACROS,
    UNKNOWN,
    Absent,
    EvalLimits,
    FunctionError,
    Implementation,
    condition_table,
    table,
)
from h2k.frontends.hot.versions import VERSIONS
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, is_known, to_data
from h2k.ir.nodes import Resource, Stack
from h2k.passes.context import PassContext
from h2k.span import Span

# Pseudo parameters whose value exists only once Heat creates the stack.
_DEPLOY_TIME_PSEUDO = frozenset({"OS::stack_id", "OS::project_id"})
_DELETION_POLICIES = ("Delete", "Retain", "Snapshot")
_REPLACE_FUNCTIONS = frozenset({"str_replace", "str_replace_strict", "str_replace_vstrict"})
_IN_PROGRESS = object()


def evaluate(stack: Stack, ctx: PassContext) -> Stack:
    ev = Evaluator(stack, ctx)
    for condition in stack.conditions:
        ev.check_definition(condition.name)
    enabled: list[Resource] = []
    disabled: list[Resource] = []
    for resource in stack.resources:
        decided = True if resource.condition is None else ev.decide(resource.condition)
        (disabled if decided is False else enabled).append(resource)
    ev.disabled = {r.name for r in disabled}
    resources = tuple(ev.resource(r) for r in enabled)
    outputs = tuple(
        dataclasses.replace(o, value=Literal(value=None, span=o.value.span)) if ev.decide_optional(o.condition) is False
        else dataclasses.replace(o, value=ev.fold_value(o.value))
        for o in stack.outputs)
    return dataclasses.replace(stack, resources=resources, outputs=outputs, disabled=tuple(disabled))


class Evaluator:
    """Folds expressions; what function implementations see as `Evaluation`."""

    def __init__(self, stack: Stack, ctx: PassContext) -> None:
        self.stack = stack
        self.ctx = ctx
        self.version = VERSIONS[stack.version]
        self.stack_name = stack.name
        self.limits = EvalLimits()
        self.functions = table(self.version)
        self.condition_functions = condition_table(self.version)
        self.in_condition = False
        self.definitions = {c.name: c for c in stack.conditions}
        self.decided: dict[str, object] = {}
        self.resources = {r.name for r in stack.resources}
        self.disabled: set[str] = set()

    # -- resources ------------------------------------------------------------------------------

    def resource(self, resource: Resource) -> Resource:
        properties = self.fold(resource.properties)
        if not isinstance(properties, MapExpr):
            properties = MapExpr(entries=(), span=resource.properties.span)
        policy = self.fold_optional(resource.deletion_policy)
        if isinstance(policy, Literal):
            self.check_deletion_policy(policy)
        return dataclasses.replace(
            resource,
            properties=properties,
            metadata=self.fold_optional(resource.metadata),
            deletion_policy=policy,
            update_policy=self.fold_optional(resource.update_policy),
            external_id=self.fold_optional(resource.external_id),
        )

    def check_deletion_policy(self, policy: Literal) -> None:
        allowed: tuple[str, ...] = _DELETION_POLICIES
        if self.version.date >= "2016-10-14":
            allowed = allowed + tuple(p.lower() for p in _DELETION_POLICIES)
        if policy.value not in allowed:
            self.ctx.sink.report("H2K103", f'Invalid deletion policy "{policy.value!s}"', policy.span)

    def is_resource(self, name: str) -> bool:
        return name in self.resources

    # -- folding --------------------------------------------------------------------------------

    def fold_optional(self, expr: Expr | None) -> Expr | None:
        return None if expr is None else self.fold_value(expr)

    def fold_value(self, expr: Expr) -> Expr:
        """A whole value: when `if` removes it, it is null (Heat resolves a removed top level to None)."""
        folded = self.fold(expr)
        return Literal(value=None, span=expr.span) if isinstance(folded, Absent) else folded

    def fold(self, expr: Expr) -> Expr | Absent:
        if isinstance(expr, Literal):
            return expr
        # Unchanged nodes are returned as they are: most of a template is plain data.
        if isinstance(expr, ListExpr):
            items = tuple(f for f in (self.fold(i) for i in expr.items) if not isinstance(f, Absent))
            if len(items) == len(expr.items) and all(a is b for a, b in zip(items, expr.items, strict=True)):
                return expr
            return ListExpr(items=items, span=expr.span)
        if isinstance(expr, MapExpr):
            entries = []
            changed = False
            for key, value in expr.entries:
                folded = self.fold(value)
                changed = changed or folded is not value
                if not isinstance(folded, Absent):
                    entries.append((key, folded))
            return MapExpr(entries=tuple(entries), span=expr.span) if changed else expr
        return self.call(expr)

    def call(self, call: Call) -> Expr | Absent:
        name = call.function
        functions = self.condition_functions if self.in_condition else self.functions
        implementation: Implementation | None = functions.get(name)
        if implementation is None:
            if name in self.version.removed:
                self.report("H2K111", f"the function {name} is not supported in HOT version {self.version.date}",
                            call.span)
            else:
                self.report("H2K121", f'The function "{name}" is invalid in this context', call.span)
            return self.unevaluated(call)
        try:
            if name in MACROS:
                outcome = implementation(call, call.args, self)
                return self.unevaluated(call) if outcome is None else outcome
            args = self.fold_value(call.args)
            if self.ctx.observe is not None:
                self.ctx.observe(name, args)
            if name in _REPLACE_FUNCTIONS and isinstance(args, MapExpr):
                self.record_replacement(call.args, args)
            outcome = implementation(call, args, self)
        except FunctionError as error:
            self.report(error.code, f"{name}: {error}", error.span or call.span)
            return self.unevaluated(call)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            # What Heat's functions raise on arguments they cannot use; Heat reports it the same way.
            self.report("H2K108", f"{name}: {error}", call.span)
            return self.unevaluated(call)
        return dataclasses.replace(call, args=args) if outcome is None else outcome

    def record_replacement(self, written: Expr, args: MapExpr) -> None:
        template, params = args.get("template"), args.get("params")
        raw = written.get("params") if isinstance(written, MapExpr) else None
        if isinstance(template, Literal) and isinstance(template.value, str) and params is not None:
            self.ctx.replacements[template.span] = (raw, params)

    def unevaluated(self, call: Call) -> Call:
        return dataclasses.replace(call, args=self.fold_value(call.args))

    def report(self, code: str, message: str, span: Span) -> None:
        self.ctx.sink.report(code, message, span)

    # -- conditions ------------------------------------------------------------------------------

    def decide_optional(self, expr: Expr | None) -> bool | None:
        return True if expr is None else self.decide(expr)

    def decide(self, expr: Expr) -> bool | None:
        """A condition as written in `condition:` or as the first argument of `if`; None if unknown."""
        folded = self.fold_condition(expr)
        if not isinstance(folded, Literal):
            return None
        return self.condition_value(folded.value, expr.span)

    def fold_condition(self, expr: Expr) -> Expr:
        outer, self.in_condition = self.in_condition, True
        try:
            return self.fold_value(expr)
        finally:
            self.in_condition = outer

    def condition_value(self, value: object, span: Span) -> bool | None:
        """Heat's `is_enabled`: a boolean, a condition's name, or null (which means true)."""
        if value is None:
            return True
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return self.named_condition(value, span)
        self.report("H2K121", f'Invalid condition "{value}"', span)
        return None

    def check_definition(self, name: str) -> bool:
        """Heat validates every condition's form (a boolean or a function) up front, and evaluates
        a condition only when something uses it: a condition nothing uses is never evaluated."""
        written = self.definitions[name].expr
        if isinstance(written, Call) or (isinstance(written, Literal) and isinstance(written.value, bool)):
            self.check_condition_functions(written)
            return True
        self.report("H2K121", f'The definition of condition "{name}" is invalid: {to_data(written)}', written.span)
        return False

    def check_condition_functions(self, expr: Expr) -> None:
        """Heat validates the functions of every condition, used or not: only condition functions."""
        if isinstance(expr, ListExpr):
            for item in expr.items:
                self.check_condition_functions(item)
        elif isinstance(expr, MapExpr):
            for _, value in expr.entries:
                self.check_condition_functions(value)
        elif isinstance(expr, Call):
            if expr.function in self.version.removed:
                self.report("H2K111", f"the function {expr.function} is not supported in HOT version "
                            f"{self.version.date}", expr.span)
            elif expr.function not in self.condition_functions:
                self.report("H2K121", f'The function "{expr.function}" is invalid in this context', expr.span)
            self.check_condition_functions(expr.args)

    def named_condition(self, name: str, span: Span) -> bool | None:
        definition = self.definitions.get(name)
        if definition is None:
            self.report("H2K121", f'Invalid condition "{name}"', span)
            return None
        if name in self.decided:
            known = self.decided[name]
            if known is _IN_PROGRESS:
                self.report("H2K121", f'Circular definition for condition "{name}"', definition.span)
                self.decided[name] = None
                return None
            return known  # type: ignore[return-value]
        self.decided[name] = _IN_PROGRESS
        value: bool | None = None
        written = definition.expr
        if self.check_definition(name):
            folded = self.fold_condition(written)
            if isinstance(folded, Literal):
                if isinstance(folded.value, bool):
                    value = folded.value
                else:
                    self.report("H2K121", f'The definition of condition "{name}" is invalid: {folded.value!r}',
                                written.span)
        if self.decided.get(name) is _IN_PROGRESS:
            self.decided[name] = value
        return self.decided[name]  # type: ignore[return-value]

    # -- what functions read ---------------------------------------------------------------------

    def parameter_value(self, name: str, span: Span) -> object:
        if name == "OS::stack_name":
            return self.stack.name
        if name in _DEPLOY_TIME_PSEUDO:
            return UNKNOWN
        parameter = self.stack.parameter(name)
        if parameter is None:
            raise FunctionError(f"The Parameter ({name}) was not provided.", "H2K106", span)
        if parameter.value is None:
            return UNKNOWN  # no value (reported by bind_parameters, or not given to `h2k check`)
        if not is_known(parameter.value):
            # A nested stack's parameter fed by a deploy-time value of the parent: that expression.
            return parameter.value
        return to_data(parameter.value)

    def read_file(self, key: str, span: Span) -> str:
        return read_confined(key, self.stack.path, self.ctx.files_root)


def read_confined(key: str, including_file: str, root: str | None) -> str:
    """get_file: relative to the including file, inside the root; never absolute, never a URL."""
    if "://" in key or key.startswith(("file:", "http:", "https:")):
        raise FunctionError(f"{key!r} is a URL; h2k reads only files next to the template", "H2K118")
    if PurePosixPath(key).is_absolute() or Path(key).is_absolute():
        raise FunctionError(f"{key!r} is an absolute path; use a path relative to the template", "H2K118")
    base = Path(including_file).parent
    target = (base / key).resolve()
    confine = Path(root).resolve() if root else base.resolve()
    if not target.is_relative_to(confine):
        raise FunctionError(f"{key!r} leaves {confine} (widen it with --files-root)", "H2K118")
    try:
        with open(target, "rb") as handle:
            content = handle.read(_MAX_FILE + 1)
    except OSError as error:
        raise FunctionError(f"cannot read {key!r}: {error.strerror or error}", "H2K119") from None
    if len(content) > _MAX_FILE:
        raise FunctionError(f"{key!r} is larger than {_MAX_FILE} bytes", "H2K120")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError(f"{key!r} is not UTF-8 text", "H2K119") from None


_MAX_FILE = 1 << 20
