"""The residual Heat stack: what stays on OpenStack, as a template the Heat engine accepts.

`openstack/infra.yaml` is cut from the source template itself, not rebuilt from the IR: the
resources staying on OpenStack keep their definitions word for word (functions, conditions,
`get_file`), with the parameters and conditions they need, the source's outputs that only they
feed, and one output per value the workload reads (wiring.py). What they reference must be in
the stack too: a shared definition (a security group, a random string) is copied; a workload that
moved to Kubernetes is replaced by a parameter the user fills after deploying it (H2K522).
`openstack/infra-env.yaml` holds the parameter values given at compile time, never hidden ones.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Resource, Stack

if TYPE_CHECKING:
    from h2k.backends.kubernetes.wiring import Wire
    from h2k.frontends.hot.environment import Environment

INFRA_TEMPLATE = "openstack/infra.yaml"
INFRA_ENVIRONMENT = "openstack/infra-env.yaml"
MOVED_ROLES = ("workload", "container", "virtual-machine")  # what the residual stack can no longer reference


@dataclass
class _Cut:
    raw: dict[str, object]
    stack: Stack
    sink: DiagnosticSink
    kept: list[str] = field(default_factory=list)
    # Infrastructure written as k-orc objects: referenced through parameters, never copied.
    elsewhere: set[str] = field(default_factory=set)
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)  # added for moved workloads

    @property
    def raw_resources(self) -> dict[str, object]:
        found = self.raw.get("resources")
        return found if isinstance(found, dict) else {}


def residual_stack(raw: object, stack: Stack, wires: list[Wire], environment: Environment | None,
                   sink: DiagnosticSink, only: set[str] | None = None) -> dict[str, bytes]:
    """The residual stack's files (empty when nothing stays on OpenStack).

    `only`: the infrastructure resources it holds when the others are k-orc objects; what it
    takes from those comes in as parameters, like what it takes from moved workloads.
    """
    if not isinstance(raw, dict):
        return {}
    cut = _Cut(raw, stack, sink)
    if only is not None:
        cut.elsewhere = {r.name for r in stack.resources if r.role == "infrastructure" and r.name not in only}
    cut.kept = [name for name in _roots(cut) if name not in cut.elsewhere]
    wires = [w for w in wires if w.source.name not in cut.elsewhere]
    if not cut.kept and not wires:
        return {}
    _close(cut)
    resources = {name: _rewrite(cut.raw_resources[name], cut) for name in cut.raw_resources if name in cut.kept}
    provided = _resolve_types(resources, environment, Path(stack.path).parent)
    outputs = _outputs(cut, wires)
    conditions = _conditions(cut, [*resources.values(), *outputs.values()])
    parameters = _parameters(cut, [*resources.values(), *outputs.values(), *conditions.values()])
    template: dict[str, object] = {"heat_template_version": raw.get("heat_template_version"),
                                   "description": f"What stays on OpenStack of {Path(stack.path).name}, "
                                                  "cut out by h2k; Kubernetes runs the rest."}
    if parameters:
        template["parameters"] = parameters
    if conditions:
        template["conditions"] = conditions
    template["resources"] = resources
    if outputs:
        template["outputs"] = outputs
    from h2k.output.serialize import to_yaml

    files = {INFRA_TEMPLATE: to_yaml(template).encode()}
    values = _environment_values(stack, environment, set(parameters))
    files[INFRA_ENVIRONMENT] = to_yaml({"parameters": values} if values else {"parameters": {}}).encode()
    files.update(_included_files(stack, resources))
    files.update(provided)
    return files


def _resolve_types(resources: dict[str, object], environment: Environment | None,
                   base: Path) -> dict[str, bytes]:
    """Types the environment's resource_registry maps become what they map to, so the residual
    stack needs no registry: an alias its target type, a provider template its file (copied)."""
    files: dict[str, bytes] = {}
    if environment is None:
        return files
    for name, definition in resources.items():
        kind = definition.get("type") if isinstance(definition, dict) else None
        if not isinstance(kind, str) or kind.endswith((".yaml", ".yml", ".template")):
            continue
        match = environment.registry.resolve(kind, name)
        if match is None:
            continue
        assert isinstance(definition, dict)
        if match.template is not None:
            path = Path(match.template)
            shown = path.relative_to(base.resolve()).as_posix() if path.is_relative_to(base.resolve()) \
                else f"providers/{path.name}"
            definition["type"] = shown
            files[f"openstack/{shown}"] = path.read_bytes()
        elif match.url is None:
            definition["type"] = match.type_name
    return files


def _roots(cut: _Cut) -> list[str]:
    """Top-level resources staying on OpenStack; a nested stack stays whole or is reported."""
    kept: list[str] = []
    facades: dict[str, list[Resource]] = {}
    for resource in cut.stack.resources:
        if resource.nested_in:
            facades.setdefault(resource.nested_in[0], []).append(resource)
        elif resource.role == "infrastructure" and resource.name in cut.raw_resources:
            kept.append(resource.name)
    for facade, inner in facades.items():
        staying = [r for r in inner if r.role == "infrastructure"]
        if staying and len(staying) == len(inner):
            kept.append(facade)
        elif staying:
            cut.sink.report("H2K520", f"nested stack {facade} mixes resources that stay on OpenStack "
                            f"({', '.join(r.name for r in staying)}) with ones that move; they are not in the "
                            "residual stack: move them to a template of their own", staying[0].span)
    return kept


def _references(data: object) -> set[str]:
    """Resource names a raw definition refers to: get_resource, get_attr (and Fn::GetAtt, Ref), depends_on."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("get_resource", "Ref") and isinstance(value, str):
                found.add(value)
            elif key in ("get_attr", "Fn::GetAtt") and isinstance(value, list) and value \
                    and isinstance(value[0], str):
                found.add(value[0])
            elif key == "depends_on":
                found |= {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)} \
                    if isinstance(value, list) else set()
            found |= _references(value)
    elif isinstance(data, list):
        for item in data:
            found |= _references(item)
    return found


def _close(cut: _Cut) -> None:
    """Add the definitions the kept resources need; moved workloads become parameters (in _rewrite)."""
    queue = list(cut.kept)
    while queue:
        name = queue.pop()
        for target in sorted(_references(cut.raw_resources.get(name)) - set(cut.kept)):
            resource = cut.stack.resource(target)
            if target not in cut.raw_resources or target in cut.elsewhere or \
                    (resource is not None and resource.role in MOVED_ROLES):
                continue
            cut.kept.append(target)
            queue.append(target)
            if resource is not None:
                cut.sink.report("H2K521", f"{target} is also written into the residual stack, because {name}, "
                                "which stays on OpenStack, uses it", resource.span)
    order = list(cut.raw_resources)
    cut.kept.sort(key=order.index)


def _rewrite(data: object, cut: _Cut) -> object:
    """A kept definition, with references to moved workloads replaced by parameters and
    `depends_on` entries that are no longer in the stack removed."""
    if isinstance(data, dict):
        if len(data) == 1:
            (key, value), = data.items()
            target = value if key in ("get_resource", "Ref") and isinstance(value, str) else \
                value[0] if key in ("get_attr", "Fn::GetAtt") and isinstance(value, list) and value \
                and isinstance(value[0], str) else None
            if target is not None and target in cut.raw_resources and target not in cut.kept:
                return {"get_param": _moved_parameter(key, value, target, cut)}
        rewritten: dict[object, object] = {}
        for key, value in data.items():
            if key == "depends_on":
                names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
                remaining = [n for n in names if n in cut.kept]
                if remaining:
                    rewritten[key] = remaining
                continue
            rewritten[key] = _rewrite(value, cut)
            if key in ("type", "get_file") and isinstance(value, str) and value.startswith("./"):
                rewritten[key] = posixpath.normpath(value)  # the file is copied under its plain name
        return rewritten
    if isinstance(data, list):
        return [_rewrite(item, cut) for item in data]
    return data


def _moved_parameter(function: str, args: object, target: str, cut: _Cut) -> str:
    path = [str(a) for a in args[1:]] if isinstance(args, list) else ["id"]
    name = "_".join(["h2k", target, *(path or ["id"])]).replace("-", "_")
    if name not in cut.parameters:
        resource = cut.stack.resource(target)
        shown = f"{function} {json.dumps(args)}"
        where = "is a k-orc object" if target in cut.elsewhere else "runs on Kubernetes now"
        cut.parameters[name] = {"type": "string", "description": f"{shown}: {target} {where}; give the value "
                                "it has there"}
        if resource is not None:
            cut.sink.report("H2K522", f"a resource of the residual stack uses {shown} of {target}, which {where}: "
                            f"the residual stack takes it as parameter {name}; set it in {INFRA_ENVIRONMENT} once "
                            f"{target} exists", resource.span)
    return name


def _outputs(cut: _Cut, wires: list[Wire]) -> dict[str, object]:
    """The source's outputs that only kept resources feed, and one per wired value."""
    outputs: dict[str, object] = {}
    raw_outputs = cut.raw.get("outputs")
    for name, definition in (raw_outputs.items() if isinstance(raw_outputs, dict) else ()):
        names = _references(definition)
        if names and names <= set(cut.kept):
            outputs[str(name)] = _rewrite(definition, cut)
    for wire in wires:
        if wire.key in outputs:
            continue
        outputs[wire.key] = {"description": f"read by {wire.consumer.name} as {wire.variable} (h2k wiring)",
                             "value": expr_data(wire.call)}
    return outputs


def expr_data(expr: Expr) -> object:
    """An expression as template data again (a call as `{function: arguments}`)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, ListExpr):
        return [expr_data(item) for item in expr.items]
    if isinstance(expr, MapExpr):
        return {key.value: expr_data(value) for key, value in expr.entries}
    assert isinstance(expr, Call)
    return {expr.function: expr_data(expr.args)}


def _condition_names(data: object, known: set[str]) -> set[str]:
    """Condition names used: a resource's or output's `condition`, `if`'s first argument, and the
    names combined inside condition definitions (`and`, `or`, `not`, `condition`)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "condition" and isinstance(value, str) and value in known:
                found.add(value)
            elif key == "if" and isinstance(value, list) and value and isinstance(value[0], str) \
                    and value[0] in known:
                found.add(value[0])
            elif key in ("and", "or") and isinstance(value, list):
                found |= {v for v in value if isinstance(v, str) and v in known}
            elif key == "not" and isinstance(value, str) and value in known:
                found.add(value)
            found |= _condition_names(value, known)
    elif isinstance(data, list):
        for item in data:
            found |= _condition_names(item, known)
    return found


def _conditions(cut: _Cut, used_by: list[object]) -> dict[str, object]:
    raw_conditions = cut.raw.get("conditions")
    if not isinstance(raw_conditions, dict):
        return {}
    known = {str(name) for name in raw_conditions}
    needed = _condition_names(used_by, known)
    queue = list(needed)
    while queue:
        for name in _condition_names(raw_conditions[queue.pop()], known) - needed:
            needed.add(name)
            queue.append(name)
    return {name: raw_conditions[name] for name in raw_conditions if name in needed}


def _parameter_names(data: object) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("get_param", "Ref"):
                first = value[0] if isinstance(value, list) and value else value
                if isinstance(first, str):
                    found.add(first)
            found |= _parameter_names(value)
    elif isinstance(data, list):
        for item in data:
            found |= _parameter_names(item)
    return found


def _parameters(cut: _Cut, used_by: list[object]) -> dict[str, object]:
    raw_parameters = cut.raw.get("parameters")
    declared = raw_parameters if isinstance(raw_parameters, dict) else {}
    needed = _parameter_names(used_by)
    parameters: dict[str, object] = {name: declared[name] for name in declared if name in needed}
    for parameter in cut.stack.parameters:
        definition = parameters.get(parameter.name)
        if parameter.hidden and isinstance(definition, dict) and "default" in definition:
            # A hidden default is a password written into the template: never copied out.
            parameters[parameter.name] = {k: v for k, v in definition.items() if k != "default"}
            cut.sink.report("H2K524", f"hidden parameter {parameter.name} has no default in {INFRA_TEMPLATE}: give "
                            "its value when the stack is created", parameter.span)
    parameters.update({name: definition for name, definition in cut.parameters.items() if name in needed})
    return parameters


def _environment_values(stack: Stack, environment: Environment | None, kept: set[str]) -> dict[str, object]:
    """The values given at compile time for the parameters the residual stack declares; never hidden ones."""
    if environment is None:
        return {}
    hidden = {p.name for p in stack.parameters if p.hidden}
    values: dict[str, object] = {}
    for source in (environment.parameter_defaults, environment.parameters):
        for name, given in source.items():
            if name in kept and name not in hidden and given.value is not None:
                values[name] = given.value
    return dict(sorted(values.items()))


def _included_files(stack: Stack, resources: dict[str, object]) -> dict[str, bytes]:
    """Files the kept definitions read with get_file, or use as nested templates, beside the template."""
    base = Path(stack.path).parent.resolve()
    files: dict[str, bytes] = {}

    def walk(data: object) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                nested = key == "type" and isinstance(value, str) and value.endswith((".yaml", ".yml", ".template"))
                if isinstance(value, str) and (key == "get_file" or nested):
                    _copy(value)
                walk(value)
        elif isinstance(data, list):
            for item in data:
                walk(item)

    def _copy(relative: str) -> None:
        if "://" in relative or relative.startswith("/"):
            return
        try:  # a name the file system refuses (too long, say) is a missing file, reported by the front-end
            path = (base / relative).resolve()
            if path.is_relative_to(base) and path.is_file():
                files[f"openstack/{path.relative_to(base).as_posix()}"] = path.read_bytes()
        except OSError:
            return

    walk(resources)
    return files


RETAIN_TEMPLATE = "openstack/retain.yaml"


def retain_template(raw: object, stack: Stack, adopted: set[str], sink: DiagnosticSink, residual: set[str] | None,
                    written: bool) -> dict[str, bytes]:
    """The source template with `deletion_policy: Retain` on what Kubernetes takes over.

    Updating the running stack to the residual template deletes every resource it no longer has,
    adopted volumes included. Updating it to this template first makes Heat keep them (Retain)
    when they leave the stack: `openstack stack update <stack> --existing -t retain.yaml`, then
    `openstack stack update <stack> -t infra.yaml -e infra-env.yaml`.
    """
    from h2k.output.serialize import to_yaml

    resources = raw.get("resources") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(resources, dict):
        return {}
    # What leaves the running stack: what moves to Kubernetes, and with k-orc (`residual` given)
    # every infrastructure resource the residual stack does not keep.
    moving = {r.name for r in stack.resources if not r.nested_in
              and (r.role != "infrastructure" or (residual is not None and r.name not in residual))}
    retained = sorted(name for name in adopted & moving if isinstance(resources.get(name), dict))
    for name in retained:
        resources[name] = {**resources[name], "deletion_policy": "Retain"}
    declared = raw.get("parameters")
    for parameter in stack.parameters:  # hidden defaults never leave the template (--existing keeps values)
        definition = declared.get(parameter.name) if isinstance(declared, dict) else None
        if parameter.hidden and isinstance(definition, dict) and isinstance(declared, dict):
            declared[parameter.name] = {k: v for k, v in definition.items() if k != "default"}
    if retained:
        then = f"then to {INFRA_TEMPLATE}" if written else "then delete it"
        sink.report("H2K523", f"{', '.join(retained)} leave the stack and exist already: update the running "
                    f"stack to {RETAIN_TEMPLATE} (deletion_policy: Retain) first, {then}; Heat keeps them when they "
                    "leave it", stack.span)
    return {RETAIN_TEMPLATE: to_yaml(raw).encode()} if retained else {}
