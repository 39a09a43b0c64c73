"""The stack: parameters, resources, outputs and conditions, each with its span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from h2k.ir.expr import Expr, MapExpr
from h2k.span import Span

if TYPE_CHECKING:  # only annotates Resource.recipe; not imported at run time, so `h2k check` starts faster
    from h2k.ir.recipe import Recipe


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    name: str
    type: str
    span: Span
    default: Expr | None = None
    description: str | None = None
    label: str | None = None
    hidden: bool = False
    constraints: Expr | None = None
    # The value the stack is compiled with, set by the bind_parameters pass.
    value: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Replication:
    """A resource that stands for several identical members (a ResourceGroup or an AutoScalingGroup).

    Backends decide whether this becomes `replicas`, an autoscaler, or one object per member.
    """

    group_type: str
    span: Span
    count: Expr | None = None  # ResourceGroup `count`; AutoScalingGroup `desired_capacity` (or `min_size`)
    min_size: Expr | None = None
    max_size: Expr | None = None
    # ResourceGroup replaces this text with the member's index in the member's properties.
    index_var: str | None = None
    removal_policies: Expr | None = None
    # How members are replaced: ResourceGroup `update_policy.rolling_update`, AutoScalingGroup
    # `rolling_updates` ({min_in_service, max_batch_size, pause_time}).
    rolling_update: Expr | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Which side a resource landed on, by which rule, and why (set by the placement pass).

    Kept on the resource so that `h2k explain TEMPLATE` and `h2k hint` read the decision itself
    rather than re-deriving it. `side`: kubernetes, openstack, or none (a type h2k does not
    translate). `rule`: targets (the config file), metadata (h2k.io/target), type (the type's
    policy or translation), servers (the server policy) or attached (it follows what it belongs
    to). `guess`: a server kept as a virtual machine only because its container image is unknown.
    """

    side: str
    rule: str
    reason: str
    guess: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    name: str
    type: str
    span: Span
    properties: MapExpr
    # A mapping, or a call that computes one (e.g. a json parameter).
    metadata: Expr | None = None
    depends_on: tuple[str, ...] = ()
    deletion_policy: Expr | None = None
    update_policy: Expr | None = None
    condition: Expr | None = None
    external_id: Expr | None = None
    description: str | None = None
    # Set by passes: members of a group, the nested stack a resource came from (the facade resource
    # names, outermost first), what the resource becomes, and the name of the objects made from it.
    replication: Replication | None = None
    nested_in: tuple[str, ...] = ()
    role: str = ""
    object_name: str = ""
    placement: Placement | None = None
    # What the server's boot scripts do, sorted for an image (the immutability pass).
    recipe: Recipe | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    name: str
    value: Expr
    span: Span
    description: str | None = None
    condition: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    name: str
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Stack:
    """One template after lowering; `name` is the stack name (OS::stack_name)."""

    path: str
    name: str
    version: str
    span: Span
    description: str | None = None
    parameters: tuple[Parameter, ...] = ()
    resources: tuple[Resource, ...] = ()
    outputs: tuple[Output, ...] = ()
    conditions: tuple[Condition, ...] = ()
    # Resources whose condition is false: not part of the stack, kept for the report.
    disabled: tuple[Resource, ...] = ()

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def resource(self, name: str) -> Resource | None:
        resources = self.resources
        if len(resources) < _INDEXED:
            return next((r for r in resources if r.name == name), None)
        return _by_name(resources).get(name)


# `Stack.resource` is asked for every reference the passes and back ends follow; a linear search
# each time made compiling a large stack quadratic. Larger stacks get a name index, kept for the
# last few resource tuples (by identity: a stack is immutable, and the tuple is held so that its
# id cannot be reused while the index lives).
_INDEXED = 32
_INDEXES: dict[int, tuple[tuple[Resource, ...], dict[str, Resource]]] = {}


def _by_name(resources: tuple[Resource, ...]) -> dict[str, Resource]:
    cached = _INDEXES.get(id(resources))
    if cached is None or cached[0] is not resources:
        if len(_INDEXES) >= 4:
            _INDEXES.clear()
        index: dict[str, Resource] = {}
        for resource in resources:
            index.setdefault(resource.name, resource)  # the first of a name, as a linear search finds
        cached = _INDEXES[id(resources)] = (resources, index)
    return cached[1]
