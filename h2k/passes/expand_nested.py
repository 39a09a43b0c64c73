"""Nested stacks become part of the stack: provider templates, registry mappings, OS::Heat::Stack.

A resource whose type is a template file (`type: web.yaml`), whose type the environment's
resource_registry maps to a template, or an `OS::Heat::Stack` with a template, is replaced by
the resources of that template, named `<resource>.<inner resource>`. The resource's properties
are the nested template's parameters (passed as Heat passes them), the nested outputs answer
`get_attr: [<resource>, <output>]`, and `get_attr: [<resource>, resource.<inner>, ...]` reaches
inside. A type the registry maps to another type takes that type. Heat's limits apply: nesting
at most 5 deep, at most 1000 resources in all, and no template may include itself.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from h2k.frontends.hot.environment import Environment, EnvValue, RegistryMatch
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, from_data, is_known, referenced_resource, to_data
from h2k.ir.nodes import Resource, Stack
from h2k.ir.visit import rewrite_calls, rewrite_map
from h2k.passes.context import PassContext
from h2k.source.loader import SourceFile

STACK = "OS::Heat::Stack"
MAX_DEPTH = 5
MAX_RESOURCES = 1000
_TEMPLATE_SUFFIXES = (".yaml", ".template")


def expand_nested(stack: Stack, ctx: PassContext) -> Stack:
    return _Expander(ctx, depth=0, chain=(stack.path,)).stack(stack)


class _Expander:
    def __init__(self, ctx: PassContext, depth: int, chain: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.depth = depth
        self.chain = chain

    def stack(self, stack: Stack) -> Stack:
        environment = self.ctx.environment
        resources: list[Resource] = []
        nested_outputs: dict[str, dict[str, Expr]] = {}
        replicated: set[str] = set()  # groups of nested stacks: `resource.N` names member N
        for resource in stack.resources:
            match = environment.registry.resolve(resource.type, resource.name) if environment else None
            template = self.template_of(resource, match, stack)
            if match is not None and not match.is_template:
                resource = dataclasses.replace(resource, type=match.type_name)
            if resource.type == STACK and template is None:
                expanded = self.inline_stack(resource, stack)
            elif template is None:
                resources.append(resource)
                continue
            else:
                expanded = self.expand(resource, template, stack, match)
            if expanded is None:
                resources.append(resource)
                continue
            members, outputs = expanded
            resources.extend(members)
            nested_outputs[resource.name] = outputs
            if resource.replication is not None:
                replicated.add(resource.name)
        if len(resources) > MAX_RESOURCES and self.depth == 0:
            self.ctx.sink.report("H2K117", f"the stack has {len(resources)} resources once nested stacks are expanded, "
                                 f"over Heat's limit of {MAX_RESOURCES}", stack.span)
        if not nested_outputs:
            return dataclasses.replace(stack, resources=tuple(resources))
        substitute = _Substitution(nested_outputs, replicated, self.ctx)
        return dataclasses.replace(
            stack,
            resources=tuple(substitute.resource(r) for r in resources),
            outputs=tuple(dataclasses.replace(o, value=substitute.expr(o.value)) for o in stack.outputs),
        )

    def template_of(self, resource: Resource, match: RegistryMatch | None, stack: Stack) -> str | None:
        if match is not None and match.is_template:
            if match.template is None:
                self.ctx.sink.report("H2K114", f"resource {resource.name}: the registry maps {resource.type} to "
                                     f"{match.url}, which h2k does not fetch", resource.span)
                return None
            return match.template
        if resource.type.endswith(_TEMPLATE_SUFFIXES):
            return str(Path(stack.path).parent / resource.type)
        return None

    def inline_stack(self, facade: Resource, parent: Stack) -> tuple[list[Resource], dict[str, Expr]] | None:
        """OS::Heat::Stack: its `template` is the template's text (often a get_file), `parameters` its values."""
        from h2k.source.loader import SourceFile, load_text

        text = facade.properties.get("template")
        if not (isinstance(text, Literal) and isinstance(text.value, str)):
            span = text.span if text is not None else facade.span
            self.ctx.sink.report("H2K302", f"the template of {facade.name} is not known at compile time; the stack "
                                 "is not translated", span)
            return None
        context = facade.properties.get("context")
        if isinstance(context, MapExpr) and context.get("region_name") is not None:
            self.ctx.sink.report("H2K302", f"{facade.name} creates its stack in another region; it is translated "
                                 "into the same manifests", context.span)
        name = f"{parent.path}#resources/{facade.name}/template"
        root = load_text(text.value, name, self.ctx.sink)
        if root is None:
            return None
        values = facade.properties.get("parameters")
        arguments = values if isinstance(values, MapExpr) else MapExpr(entries=(), span=facade.span)
        return self.expand(facade, parent.path, parent, None, SourceFile(name, text.value, root), arguments)

    def expand(self, facade: Resource, template: str, parent: Stack, match: RegistryMatch | None,
               inline: SourceFile | None = None,
               arguments: MapExpr | None = None) -> tuple[list[Resource], dict[str, Expr]] | None:
        from h2k.frontends.hot.lower import lower

        sink = self.ctx.sink
        if self.depth + 1 > MAX_DEPTH:
            sink.report("H2K117", f"resource {facade.name}: nested stacks deeper than {MAX_DEPTH} levels",
                        facade.span)
            return None
        source = inline if inline is not None else self.load(facade, template)
        if source is None:
            return None
        child = lower(source, sink, f"{parent.name}-{facade.name}")
        if child is None:
            return None
        return self.bind_and_expand(facade, template, child, match, arguments or facade.properties)

    def load(self, facade: Resource, template: str) -> SourceFile | None:
        from h2k.source.loader import load_file

        sink = self.ctx.sink
        path = Path(template).resolve()
        top = Path(self.chain[0]).resolve()
        root = Path(self.ctx.files_root).resolve() if self.ctx.files_root else top.parent
        if path == top or str(path) in self.chain[1:]:
            sink.report("H2K117", f"resource {facade.name}: {facade.type} includes itself", facade.span)
            return None
        if not path.is_relative_to(root):
            sink.report("H2K118", f"resource {facade.name}: the template {template} is outside {root} (widen it "
                        "with --files-root)", facade.span)
            return None
        if not path.is_file():
            sink.report("H2K119", f"resource {facade.name}: the template {template} does not exist", facade.span)
            return None
        loaded = load_file(str(path), sink)
        if loaded is not None:
            self.ctx.loaded[loaded.path] = loaded
        return loaded

    def bind_and_expand(self, facade: Resource, template: str, child: Stack, match: RegistryMatch | None,
                        arguments: MapExpr) -> tuple[list[Resource], dict[str, Expr]]:
        from h2k.passes.bind_parameters import bind_parameters
        from h2k.passes.evaluate import evaluate
        from h2k.passes.expand_groups import expand_groups

        sink = self.ctx.sink
        path = Path(template).resolve()
        environment = self.ctx.environment.child(facade.name, match) if self.ctx.environment else Environment()
        declared = {p.name for p in child.parameters}
        deploy_time: dict[str, Expr] = {}
        for key, value in arguments.entries:
            name = str(key.value)
            if name not in declared:
                sink.report("H2K104", f"resource {facade.name}: Unknown Property {name} (the template "
                            f"{Path(template).name} has no such parameter)", key.span)
            elif is_known(value):
                environment.parameters[name] = EnvValue(_child_value(value), value.span)
            else:
                deploy_time[name] = value
        ctx = dataclasses.replace(self.ctx, environment=environment, parameters={}, require_values=False)
        child = bind_parameters(child, ctx)
        child = dataclasses.replace(child, parameters=tuple(
            dataclasses.replace(p, value=deploy_time[p.name]) if p.name in deploy_time else p
            for p in child.parameters))
        for parameter in child.parameters:
            if parameter.value is None and parameter.default is None and parameter.type:
                sink.report("H2K105", f"resource {facade.name}: Property {parameter.name} required (the template "
                            f"{Path(template).name} gives it no default)", facade.span)
        ctx = dataclasses.replace(ctx, require_values=self.ctx.require_values)
        child = evaluate(child, ctx)
        child = expand_groups(child, ctx)
        child = _Expander(ctx, self.depth + 1, (*self.chain, str(path))).stack(child)
        prefix = f"{facade.name}."
        rename = _Renamer(prefix, {r.name for r in child.resources})
        members = []
        for resource in child.resources:
            renamed = rename.resource(resource)
            replication = renamed.replication or facade.replication
            members.append(dataclasses.replace(renamed, replication=replication,
                                               depends_on=tuple(dict.fromkeys(facade.depends_on + renamed.depends_on)),
                                               nested_in=(facade.name, *renamed.nested_in)))
        outputs = {o.name: rename.expr(o.value) for o in child.outputs}
        return members, outputs


def _child_value(value: Expr) -> object:
    """A property value as Heat passes it to the nested stack's parameter (TemplateResource.child_params)."""
    data = to_data(value)
    if isinstance(data, list):
        if data and isinstance(data[0], dict):
            return [f".member.{i}.{k}={v}" for i, item in enumerate(data) for k, v in item.items()]
        return ",".join("" if item is None else item if isinstance(item, str) else json.dumps(item) for item in data)
    return data


class _Renamer:
    """Names of a nested stack's resources, and every reference to them, prefixed with the facade's."""

    def __init__(self, prefix: str, names: set[str]) -> None:
        self.prefix = prefix
        self.names = names

    def name(self, name: str) -> str:
        return self.prefix + name if name in self.names else name

    def resource(self, resource: Resource) -> Resource:
        return dataclasses.replace(
            resource, name=self.prefix + resource.name,
            depends_on=tuple(self.name(n) for n in resource.depends_on),
            properties=rewrite_map(resource.properties, self.call),
            metadata=None if resource.metadata is None else self.expr(resource.metadata),
            update_policy=None if resource.update_policy is None else self.expr(resource.update_policy),
        )

    def expr(self, expr: Expr) -> Expr:
        return rewrite_calls(expr, self.call)

    def call(self, call: Call) -> Expr:
        target = referenced_resource(call)
        if target is None or target not in self.names:
            return call
        args = call.args
        if isinstance(args, Literal):
            return dataclasses.replace(call, args=dataclasses.replace(args, value=self.name(target)))
        assert isinstance(args, ListExpr) and isinstance(args.items[0], Literal)
        first = dataclasses.replace(args.items[0], value=self.name(target))
        return dataclasses.replace(call, args=dataclasses.replace(args, items=(first, *args.items[1:])))


class _Substitution:
    """`get_attr` of a nested stack's outputs and resources, and `get_resource` of its OS::stack_id."""

    def __init__(self, outputs: dict[str, dict[str, Expr]], replicated: set[str], ctx: PassContext) -> None:
        self.outputs = outputs
        self.replicated = replicated
        self.ctx = ctx

    def resource(self, resource: Resource) -> Resource:
        return dataclasses.replace(
            resource,
            properties=rewrite_map(resource.properties, self.call),
            metadata=None if resource.metadata is None else self.expr(resource.metadata),
        )

    def expr(self, expr: Expr) -> Expr:
        return rewrite_calls(expr, self.call)

    def call(self, expr: Call) -> Expr:
        target = referenced_resource(expr)
        if target is None or target not in self.outputs:
            return expr
        outputs = self.outputs[target]
        if expr.function == "get_resource":
            return outputs.get("OS::stack_id", expr)
        assert isinstance(expr.args, ListExpr)
        rest = expr.args.items[1:]
        if not rest or not isinstance(rest[0], Literal) or not isinstance(rest[0].value, str):
            return expr  # all attributes, or a computed name: left for deploy time
        attribute = rest[0].value
        if target in self.replicated and attribute.startswith("resource.") and attribute[9:].isdigit():
            # A member of a group of nested stacks: every member is the same expansion.
            rest = rest[1:]
            if not rest or not isinstance(rest[0], Literal) or not isinstance(rest[0].value, str):
                return expr
            attribute = rest[0].value
        if attribute.startswith("resource."):
            inner = Literal(value=f"{target}.{attribute.removeprefix('resource.')}", span=rest[0].span)
            return dataclasses.replace(expr, args=dataclasses.replace(expr.args, items=(inner, *rest[1:])))
        if attribute not in outputs:
            self.ctx.sink.report("H2K108", f"get_attr: the nested stack {target} has no output {attribute!r}",
                                 rest[0].span)
            return expr
        value = outputs[attribute]
        path = rest[1:]
        if not path:
            return value
        if not (is_known(value) and all(isinstance(p, Literal) for p in path)):
            return expr
        data = to_data(value)
        for step in path:
            key = step.value  # type: ignore[union-attr]
            try:
                data = data[int(key) if isinstance(data, list) else key]  # type: ignore[index, arg-type]
            except (KeyError, IndexError, ValueError, TypeError):
                data = None
                break
        return from_data(data, expr.span)


