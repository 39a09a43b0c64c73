"""Groups become their member: a ResourceGroup or AutoScalingGroup of servers is a server with a count.

The member definition (`resource_def`, `resource`) replaces the group's type, properties and
metadata; the group's sizes go into `Resource.replication`. A ResourceChain becomes one resource
per type in its list, each depending on the one before unless it is concurrent. A group whose
member definition is only known at deploy time is left alone and reported.
"""

from __future__ import annotations

import dataclasses

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Replication, Resource, Stack
from h2k.passes.context import PassContext

RESOURCE_GROUP = "OS::Heat::ResourceGroup"
AUTOSCALING_GROUP = "OS::Heat::AutoScalingGroup"
RESOURCE_CHAIN = "OS::Heat::ResourceChain"


def expand_groups(stack: Stack, ctx: PassContext) -> Stack:
    resources: list[Resource] = []
    for resource in stack.resources:
        if resource.type == RESOURCE_GROUP:
            resources.append(_member(resource, "resource_def", _group_sizes(resource, ctx), ctx))
        elif resource.type == AUTOSCALING_GROUP:
            resources.append(_member(resource, "resource", _scaling_sizes(resource, ctx), ctx))
        elif resource.type == RESOURCE_CHAIN:
            resources.extend(_chain(resource, ctx))
        else:
            resources.append(resource)
    return dataclasses.replace(stack, resources=tuple(resources))


def _member(group: Resource, key: str, replication: Replication | None, ctx: PassContext) -> Resource:
    if replication is None:
        return group  # its sizes are invalid (reported)
    definition = group.properties.get(key)
    member_type = definition.get("type") if isinstance(definition, MapExpr) else None
    if not isinstance(member_type, Literal) or not isinstance(member_type.value, str):
        span = definition.span if definition is not None else group.span
        ctx.sink.report("H2K302", f"the member definition ({key}) of {group.name} is not known at compile time; "
                        "the group is not translated", span)
        return group
    assert isinstance(definition, MapExpr)
    properties = definition.get("properties")
    if not isinstance(properties, MapExpr):
        properties = MapExpr(entries=(), span=definition.span)
    # Heat drops member properties whose value resolves to null.
    properties = dataclasses.replace(properties, entries=tuple(
        (k, v) for k, v in properties.entries if not (isinstance(v, Literal) and v.value is None)))
    return dataclasses.replace(group, type=member_type.value, properties=properties,
                               metadata=definition.get("metadata"), replication=replication)


def _integer(value: Expr | None, name: str, group: Resource, ctx: PassContext, minimum: int = 0) -> bool:
    if isinstance(value, Literal) and (not isinstance(value.value, int) or isinstance(value.value, bool)
                                       or value.value < minimum):
        ctx.sink.report("H2K103", f"{group.type}.properties.{name} of {group.name} must be an integer of at least "
                        f"{minimum}", value.span)
        return False
    return True


def _group_sizes(group: Resource, ctx: PassContext) -> Replication | None:
    count = group.properties.get("count") or Literal(value=1, span=group.span)
    index_var = group.properties.get("index_var")
    if index_var is not None and not (isinstance(index_var, Literal) and isinstance(index_var.value, str)
                                      and len(index_var.value) >= 3):
        ctx.sink.report("H2K103", f"index_var of {group.name} must be a string of at least 3 characters",
                        index_var.span)
        return None
    if not _integer(count, "count", group, ctx):
        return None
    policy = group.update_policy
    return Replication(group_type=group.type, span=group.span, count=count,
                       index_var=str(index_var.value) if isinstance(index_var, Literal) else "%index%",
                       removal_policies=group.properties.get("removal_policies"),
                       rolling_update=policy.get("rolling_update") if isinstance(policy, MapExpr) else None)


def _scaling_sizes(group: Resource, ctx: PassContext) -> Replication | None:
    minimum, maximum = group.properties.get("min_size"), group.properties.get("max_size")
    desired = group.properties.get("desired_capacity")
    if minimum is None or maximum is None:
        ctx.sink.report("H2K103", f"{group.name} needs min_size and max_size", group.span)
        return None
    if not all(_integer(v, n, group, ctx) for v, n in ((minimum, "min_size"), (maximum, "max_size"),
                                                        (desired, "desired_capacity"))):
        return None
    return Replication(group_type=group.type, span=group.span, count=desired or minimum, min_size=minimum,
                       max_size=maximum, rolling_update=group.properties.get("rolling_updates"))


def _chain(chain: Resource, ctx: PassContext) -> list[Resource]:
    types = chain.properties.get("resources")
    if not isinstance(types, ListExpr) or not all(isinstance(t, Literal) and isinstance(t.value, str)
                                                  for t in types.items):
        span = types.span if types is not None else chain.span
        ctx.sink.report("H2K302", f"the resource types of {chain.name} are not known at compile time; the chain is "
                        "not translated", span)
        return [chain]
    properties = chain.properties.get("resource_properties")
    if not isinstance(properties, MapExpr):
        properties = MapExpr(entries=(), span=chain.span)
    concurrent = chain.properties.get("concurrent")
    sequential = not (isinstance(concurrent, Literal) and concurrent.value is True)
    members = []
    for index, member_type in enumerate(types.items):
        assert isinstance(member_type, Literal)
        depends = chain.depends_on + ((f"{chain.name}.{index - 1}",) if sequential and index else ())
        members.append(dataclasses.replace(chain, name=f"{chain.name}.{index}", type=str(member_type.value),
                                           properties=properties, depends_on=depends, span=member_type.span))
    return members


def member_properties(resource: Resource, index: int) -> MapExpr:
    """The properties of member `index` of a ResourceGroup: its index variable replaced, as Heat does.

    Heat replaces the variable (plain substring) in every string of the member's properties,
    map keys included, but not in its type or metadata. Backends that write one object per member
    use this; a Deployment with `replicas` keeps the variable.

    >>> from h2k.ir.expr import from_data
    >>> from h2k.span import Span
    >>> s = Span.point("t.yaml")
    >>> r = Resource(name="g", type="T", span=s, properties=from_data({"name": "web-%index%"}, s),
    ...              replication=Replication(group_type=RESOURCE_GROUP, span=s, index_var="%index%"))
    >>> member_properties(r, 2).get("name").value
    'web-2'
    """
    replication = resource.replication
    if replication is None or not replication.index_var:
        return resource.properties
    variable, text = replication.index_var, str(index)

    def replace(expr: Expr) -> Expr:
        if isinstance(expr, Literal) and isinstance(expr.value, str):
            return dataclasses.replace(expr, value=expr.value.replace(variable, text))
        if isinstance(expr, ListExpr):
            return dataclasses.replace(expr, items=tuple(replace(i) for i in expr.items))
        if isinstance(expr, MapExpr):
            entries = tuple((replace(k), replace(v)) for k, v in expr.entries)
            return dataclasses.replace(expr, entries=entries)  # type: ignore[arg-type]
        if isinstance(expr, Call):
            return dataclasses.replace(expr, args=replace(expr.args))
        return expr

    replaced = replace(resource.properties)
    assert isinstance(replaced, MapExpr)
    return replaced
