"""The immutability pass: each server's boot-time changes, read and sorted into a `Recipe`.

A server's `user_data` (a shell script, a `#cloud-config` document, or the config of an
`OS::Heat::SoftwareConfig` / `OS::Heat::CloudConfig` it names) is read from the template as
written, so that the placeholders of a `str_replace` around it are still visible: a statement
that uses one depends on the stack's parameters and becomes runtime configuration, not part of
the image. The placeholders' values come from the evaluate pass (PassContext.replacements).

    user_data: {str_replace: {template: "yum -y install httpd\\nsed -i s/PORT/$p/ f\\n...", params: ...}}
    -> Recipe(steps=[image: yum install, runtime: sed with $p, process: httpd ...])

The placement pass reads the recipe for `--servers auto`; the Kubernetes and images backends
build the pod and its Containerfile from it.
"""

from __future__ import annotations

import dataclasses
import os

from h2k.diagnostics.model import Diagnostic
from h2k.frontends.shell.collect import ScriptSource, confined_reader, scripts_in_template, shell_interpreter
from h2k.frontends.shell.origin import Origin
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, is_known, referenced_resource, to_data
from h2k.ir.nodes import Resource, Stack
from h2k.ir.recipe import Recipe
from h2k.passes.context import PassContext
from h2k.passes.immutability.cloud_config import analyse_cloud_config, from_yaml
from h2k.passes.immutability.shell import analyse_shell
from h2k.source.loader import SourceFile, load_file
from h2k.span import Span

SERVER = "OS::Nova::Server"
CLOUD_CONFIG = "cloud-config"  # the `shell` of a recipe read from a cloud-config document
# MIME subtypes of parts that are read: shell scripts and cloud-config documents.
_READ_SUBTYPES = frozenset({"x-shellscript", "cloud-config"})
_CONFIG_TYPES = frozenset({"OS::Heat::SoftwareConfig", "OS::Heat::CloudConfig", "OS::Heat::MultipartMime",
                           "OS::Heat::StructuredConfig"})


def immutability(stack: Stack, ctx: PassContext) -> Stack:
    """Attach a recipe to every server that has boot-time changes to read."""
    reader = _Sources(ctx)
    by_name = {r.name: r for r in stack.resources}
    changed = False
    resources = []
    for resource in stack.resources:
        if resource.type == SERVER or _run_by_deployments(resource):
            recipe = _recipe(resource, stack, by_name, reader, ctx) if resource.type == SERVER \
                else _deployed_script(resource, reader)
            if recipe is not None:
                resource = dataclasses.replace(resource, recipe=recipe)
                changed = True
        resources.append(resource)
    return dataclasses.replace(stack, resources=tuple(resources)) if changed else stack


class _Sources:
    """Template files, loaded once each, and the scripts written in them by resource and role."""

    def __init__(self, ctx: PassContext) -> None:
        self.ctx = ctx
        self.scripts: dict[str, dict[tuple[str | None, str], ScriptSource]] = {}
        self.names: dict[str, set[str | None]] = {}  # file -> the resources it writes scripts for

    def scripts_of(self, file: str) -> dict[tuple[str | None, str], ScriptSource]:
        """(resource, role) -> the first script the file writes for it."""
        if file not in self.scripts:
            from h2k.diagnostics.model import DiagnosticSink

            source: SourceFile | None = self.ctx.loaded.get(file)
            if source is None and os.path.isfile(file):
                source = load_file(file, DiagnosticSink())
            found: dict[tuple[str | None, str], ScriptSource] = {}
            for script in [] if source is None else scripts_in_template(
                    source.root, source.text, confined_reader(file, self.ctx.files_root)):
                found.setdefault((script.resource, script.role), script)
            self.scripts[file] = found
            self.names[file] = {name for name, _ in found}
        return self.scripts[file]

    def script(self, resource: Resource, role: str) -> ScriptSource | None:
        """The script of a resource as its own file writes it (a group's member under the group's name)."""
        local = resource.name.removeprefix(".".join(resource.nested_in) + ".") if resource.nested_in \
            else resource.name
        scripts = self.scripts_of(resource.span.file)
        if local not in self.names[resource.span.file]:
            local = local.split(".", 1)[0]
        return scripts.get((local, role))


def _run_by_deployments(resource: Resource) -> bool:
    group = resource.properties.get("group")
    return resource.type == "OS::Heat::SoftwareConfig" and isinstance(group, Literal) and group.value == "script"


def _deployed_script(config: Resource, sources: _Sources) -> Recipe | None:
    """A script software deployments run: sorted like a boot script, its inputs depending on the deployment.

    The backend runs it in an init container; the recipe says what in it would be lost there.
    """
    script = sources.script(config, "config")
    if script is None:
        return None
    inputs = config.properties.get("inputs")
    declared = [i.get("name") for i in (inputs.items if isinstance(inputs, ListExpr) else ()) if isinstance(i, MapExpr)]
    names = frozenset(str(name.value) for name in declared if isinstance(name, Literal))
    result = analyse_shell(script.text, script.origin, {}, names)
    return Recipe(server=config.name, source=script.origin.span(1, 1, 1, 1), steps=tuple(result.steps),
                  family=result.family, shell=shell_interpreter(script.text) or "sh", unreadable=result.unreadable)


def _recipe(server: Resource, stack: Stack, by_name: dict[str, Resource], sources: _Sources,
            ctx: PassContext) -> Recipe | None:
    user_data = server.properties.get("user_data")
    if user_data is None or (isinstance(user_data, Literal) and not user_data.value):
        return None
    config = by_name.get(referenced_resource(user_data) or "") if isinstance(user_data, Call) else None
    if config is not None and config.type in _CONFIG_TYPES:
        return _from_config(server, config, stack, sources, ctx)
    script = sources.script(server, "user_data")
    if script is not None:
        return _from_script(server, script, stack, ctx)
    if isinstance(user_data, Literal) and isinstance(user_data.value, str):
        return _from_text(server, user_data.value, user_data, stack, ctx)
    return Recipe(server=server.name, source=user_data.span,
                  unreadable="the boot script is only known at deploy time")


def _from_config(server: Resource, config: Resource, stack: Stack, sources: _Sources,
                 ctx: PassContext) -> Recipe:
    if config.type == "OS::Heat::CloudConfig":
        document = config.properties.get("cloud_config")
        if document is None or not is_known(document):
            return Recipe(server=server.name, source=config.span,
                          unreadable=f"the cloud-config of {config.name} is only known at deploy time")
        result = analyse_cloud_config(document, {})
        _report(result.findings, ctx)
        return Recipe(server=server.name, source=config.span, steps=tuple(result.steps), family=result.family,
                      shell=CLOUD_CONFIG)
    if config.type == "OS::Heat::MultipartMime":
        return _from_parts(server, config, stack, sources, ctx)
    if config.type != "OS::Heat::SoftwareConfig":
        return Recipe(server=server.name, source=config.span,
                      unreadable=f"the boot data of {config.name} is {config.type}, which h2k does not read")
    script = sources.script(config, "config")
    if script is not None:
        return _from_script(server, script, stack, ctx)
    text = config.properties.get("config")
    if isinstance(text, Literal) and isinstance(text.value, str):
        return _from_text(server, text.value, text, stack, ctx)
    return Recipe(server=server.name, source=config.span,
                  unreadable=f"the config of {config.name} is only known at deploy time")


def _from_parts(server: Resource, message: Resource, stack: Stack, sources: _Sources, ctx: PassContext,
                seen: frozenset[str] = frozenset()) -> Recipe:
    """A MIME message: its parts read one by one, cloud-config documents first, as cloud-init
    runs their modules before the scripts (a `multipart` part is another message, spliced in)."""
    by_name = {r.name: r for r in stack.resources}
    parts = message.properties.get("parts")
    documents: list[Recipe] = []
    scripts: list[Recipe] = []
    for index, part in enumerate(parts.items if isinstance(parts, ListExpr) else ()):
        config_expr = part.get("config") if isinstance(part, MapExpr) else None
        target = by_name.get(referenced_resource(config_expr) or "") if isinstance(config_expr, Call) else None
        subtype = part.get("subtype") if isinstance(part, MapExpr) else None
        if isinstance(subtype, Literal) and subtype.value not in _READ_SUBTYPES:
            return Recipe(server=server.name, source=message.span, unreadable=f"part {index + 1} of "
                          f"{message.name} is {subtype.value!s}, which h2k does not read")
        if target is not None and target.type == "OS::Heat::MultipartMime" and target.name not in seen:
            inner = _from_parts(server, target, stack, sources, ctx, seen | {message.name})
        elif target is not None and target.type in _CONFIG_TYPES:
            inner = _from_config(server, target, stack, sources, ctx)
        elif isinstance(config_expr, Literal) and isinstance(config_expr.value, str):
            inner = _from_text(server, config_expr.value, config_expr, stack, ctx)
        else:
            return Recipe(server=server.name, source=message.span, unreadable=f"part {index + 1} of {message.name} "
                          "is only known at deploy time")
        if inner.unreadable:
            return dataclasses.replace(inner, source=message.span,
                                       unreadable=f"part {index + 1} of {message.name}: {inner.unreadable}")
        (documents if inner.shell == "cloud-config" else scripts).append(inner)
    read = documents + scripts
    if not read:
        return Recipe(server=server.name, source=message.span, unreadable=f"{message.name} has no parts")
    return Recipe(server=server.name, source=message.span, steps=tuple(s for r in read for s in r.steps),
                  family=next((r.family for r in read if r.family), None),
                  placeholders={k: v for r in read for k, v in r.placeholders.items()},
                  hidden={k: v for r in read for k, v in r.hidden.items()},
                  deploy_time={k: v for r in read for k, v in r.deploy_time.items()},
                  shell=next((r.shell for r in scripts), "sh"))


def _from_script(server: Resource, script: ScriptSource, stack: Stack, ctx: PassContext) -> Recipe:
    params = ctx.replacements.get(script.anchor) if script.anchor is not None else None
    found = _placeholder_values(params, stack)
    span = script.origin.span(1, 1, 1, 1)
    if script.text.lstrip().startswith("#cloud-config"):
        return _cloud_config_text(server, script.text, script.origin, span, found, ctx)
    result = analyse_shell(script.text, script.origin, found.values)
    _report(result.findings, ctx)
    return Recipe(server=server.name, source=span, steps=tuple(result.steps), family=result.family,
                  placeholders=found.values, hidden=found.hidden, deploy_time=found.deploy_time,
                  shell=shell_interpreter(script.text) or "sh", unreadable=result.unreadable)


def _from_text(server: Resource, text: str, value: Literal, stack: Stack, ctx: PassContext) -> Recipe:
    """A script whose text has no place of its own in the file (built by list_join, from a parameter)."""
    span = value.span
    origin = Origin(span.file, span.line, span.column, exact=False)
    if text.lstrip().startswith("#cloud-config"):
        return _cloud_config_text(server, text, origin, span, Placeholders({}, {}, {}), ctx)
    from h2k.frontends.shell.collect import is_shell_script

    if not is_shell_script(text, without_shebang=True):
        return Recipe(server=server.name, source=span, unreadable="the boot data is neither a shell script nor "
                      "a cloud-config document")
    result = analyse_shell(text, origin, {})
    _report(result.findings, ctx)
    return Recipe(server=server.name, source=span, steps=tuple(result.steps), family=result.family,
                  shell=shell_interpreter(text) or "sh", unreadable=result.unreadable)


def _cloud_config_text(server: Resource, text: str, origin: Origin, span: Span, found: Placeholders,
                       ctx: PassContext) -> Recipe:
    from h2k.diagnostics.model import DiagnosticSink
    from h2k.source.loader import load_text

    root = load_text(text, origin.file, DiagnosticSink())
    if root is None:
        return Recipe(server=server.name, source=span, unreadable="the cloud-config document is not valid YAML")
    result = analyse_cloud_config(from_yaml(root, origin), found.values)
    _report(result.findings, ctx)
    return Recipe(server=server.name, source=span, steps=tuple(result.steps), family=result.family,
                  placeholders=found.values, hidden=found.hidden, deploy_time=found.deploy_time, shell=CLOUD_CONFIG)


def _placeholder_values(params: tuple[Expr | None, Expr] | None, stack: Stack) -> Placeholders:
    """Each placeholder's text at compile time (None when not known then), which are hidden
    parameters (by what is written, `get_param` of a hidden one: a value equal to a password by
    chance is no password), and the deploy-time values of the others."""
    found = Placeholders({}, {}, {})
    written, evaluated = params if params is not None else (None, None)
    if not isinstance(evaluated, MapExpr):
        return found
    from h2k.frontends.hot.functions.strings import replacement_text

    for key, value in evaluated.entries:
        name = str(key.value)
        source = written.get(key.value) if isinstance(written, MapExpr) else None
        parameter = None
        if isinstance(source, Call) and source.function == "get_param":
            argument = source.args.items[0] if isinstance(source.args, ListExpr) and source.args.items \
                else source.args
            if isinstance(argument, Literal):
                parameter = stack.parameter(str(argument.value))
        if parameter is not None and parameter.hidden:
            found.hidden[name] = parameter.name
            found.values[name] = None
        elif not is_known(value):
            found.values[name] = None
            found.deploy_time[name] = value
        else:
            found.values[name] = replacement_text(to_data(value))
    return found


@dataclasses.dataclass(frozen=True, slots=True)
class Placeholders:
    values: dict[str, str | None]
    hidden: dict[str, str]
    deploy_time: dict[str, Expr]


def _report(findings: list[Diagnostic], ctx: PassContext) -> None:
    for finding in findings:
        ctx.sink.items.append(finding)
