"""A server's boot script -> the image it is built into, and the configuration its pod starts with.

The images backend writes `images/<name>/` (Containerfile, copied files, analysis.md); the pod
runs `<registry>/<name>:h2k-<hash>`. What depends on the stack's parameters stays out of the
image: files written with placeholders become keys of a ConfigMap `<name>-boot` mounted at their
paths, and commands that use placeholders become `start.sh` in that ConfigMap, run before the
process (`exec "$@"`). A placeholder whose value is a hidden parameter, or only known at deploy
time, is never written: the start script reads it from an environment variable (a Secret's key
or the deploy-time wiring), and a file that holds one is written by the start script.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePath

from h2k.backends.images.analysis import analysis_report
from h2k.backends.images.base_image import base_image
from h2k.backends.images.containerfile import write_recipe
from h2k.backends.kubernetes.context import BackendContext
from h2k.frontends.hot.functions.strings import replace_placeholders
from h2k.ir import recipe as kinds
from h2k.ir.expr import Literal
from h2k.ir.nodes import Resource
from h2k.ir.recipe import Recipe, Step
from h2k.passes.immutability.shell import local_url

IMAGE_KEY = "h2k.io/image"
START_SCRIPT = "/etc/h2k/start.sh"
_KEY = re.compile(r"[^-._a-zA-Z0-9]")


@dataclass
class BootConfig:
    """What the server's container gets beyond its image."""

    image: str
    command: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    env: list[dict[str, object]] = field(default_factory=list)
    mounts: list[dict[str, object]] = field(default_factory=list)
    volumes: list[dict[str, object]] = field(default_factory=list)
    objects: list[dict[str, object]] = field(default_factory=list)
    # An HTTP readiness probe, from a local URL the script waits for.
    probe: dict[str, object] | None = None


def given_image(resource: Resource, ctx: BackendContext) -> str | None:
    """The container image the user named: metadata h2k.io/image, else the config's `images:`."""
    from h2k.backends.kubernetes.attachments import hint

    given = hint(resource.metadata, IMAGE_KEY)
    if given is not None:
        return given
    glance = glance_image(resource)
    return ctx.config.images.get(glance) if glance is not None else None


def glance_image(server: Resource) -> str | None:
    """The Glance image a server boots, when the template names it at compile time."""
    image = server.properties.get("image")
    return image.value if isinstance(image, Literal) and isinstance(image.value, str) else None


def builds_image(resource: Resource, ctx: BackendContext) -> bool:
    """A server whose image h2k writes: no image is given, and it has a boot script that was read."""
    recipe = resource.recipe
    return (recipe is not None and not recipe.unreadable and bool(recipe.steps)
            and given_image(resource, ctx) is None)


def built_image(resource: Resource, ports: list[dict[str, object]], ctx: BackendContext) -> BootConfig:
    recipe = resource.recipe
    assert recipe is not None
    name = resource.object_name
    glance_name = glance_image(resource)
    base = base_image(glance_name, recipe.family, ctx.config.base_images)
    if base.how == "unknown":
        ctx.sink.report("H2K616", f"no base image is known for {glance_name or 'the image'} of {resource.name}: set "
                        f"base_images: {{{glance_name or '<image>'}: <image>}} in the config file", resource.span)
    source = f"{_shown(recipe.source.file, ctx)}:{recipe.source.line}"
    written = write_recipe(recipe, name, base.reference, exposed_ports(resource, ports, ctx), source, recipe.shell)
    folder = f"images/{name}/"
    for path, data in written.files.items():
        ctx.images[folder + path] = data
    ctx.images[folder + "analysis.md"] = analysis_report(recipe, resource.name, source, written.notes).encode()
    _report_steps(resource, recipe, folder, ctx)
    config = BootConfig(image=f"{ctx.config.registry}/{name}:{written.tag}", probe=_probe(recipe))
    _runtime(resource, recipe, config, ctx)
    return config


def _probe(recipe: Recipe) -> dict[str, object] | None:
    for step in recipe.of_kind(kinds.SIGNAL):
        target = local_url(step.value) if step.value else None
        if target is not None:
            port, path = target
            get: dict[str, object] = {"path": path, "port": port}
            if (step.value or "").startswith("https"):
                get["scheme"] = "HTTPS"
            return {"httpGet": get, "periodSeconds": 5}
    return None


def exposed_ports(server: Resource, declared: list[dict[str, object]], ctx: BackendContext) -> list[tuple[int, str]]:
    """What the image EXPOSEs: the declared container ports, the ports load balancers send the server,
    and the single ports its security groups open (but SSH: a container is not reached over it)."""
    from h2k.backends.kubernetes.load_balancer import member_server
    from h2k.ir.expr import ListExpr, MapExpr
    from h2k.ir.links import resource_target

    found: set[tuple[int, str]] = {(int(str(p["containerPort"])), str(p["protocol"])) for p in declared}
    for member in ctx.stack.resources:
        port = member.properties.get("protocol_port")
        if member.role == "lb-member" and isinstance(port, Literal) and isinstance(port.value, int) \
                and member_server(member, ctx) is server:
            found.add((port.value, "TCP"))
    groups = server.properties.get("security_groups")
    for item in groups.items if isinstance(groups, ListExpr) else ():
        group = ctx.stack.resource(resource_target(item) or "")
        rules = group.properties.get("rules") if group is not None else None
        for rule in rules.items if isinstance(rules, ListExpr) else ():
            if not isinstance(rule, MapExpr) or _literal(rule.get("direction")) not in (None, "ingress"):
                continue
            low, high = _literal(rule.get("port_range_min")), _literal(rule.get("port_range_max"))
            protocol = str(_literal(rule.get("protocol")) or "").upper()
            if isinstance(low, int) and low == high and protocol in ("TCP", "UDP") and low != 22:
                found.add((low, protocol))
    return sorted(found)


def _literal(expr: object) -> object:
    return expr.value if isinstance(expr, Literal) else None


def _shown(file: str, ctx: BackendContext) -> str:
    try:
        return PurePath(file).relative_to(ctx.source_root).as_posix()
    except ValueError:
        return PurePath(file).name


def _report_steps(resource: Resource, recipe: Recipe, folder: str, ctx: BackendContext) -> None:
    ctx.sink.report("H2K610", f"the image of {resource.name} is built from its boot script: {folder}Containerfile "
                    f"({recipe.understood} of {len(recipe.steps)} statements understood; {folder}analysis.md has each "
                    "line)",
                    recipe.source)
    for step in recipe.steps:
        if step.kind == kinds.UNKNOWN:
            ctx.sink.report("H2K611", f"not understood in the boot script of {resource.name} ({step.note}); copied "
                            "into the image as written", step.span)
        elif step.kind == kinds.VM_ONLY:
            ctx.sink.report("H2K612", f"left out of the image of {resource.name}: {step.note}", step.span)
        elif step.kind == kinds.DROPPED:
            ctx.sink.report("H2K613", f"left out of the image of {resource.name}: {step.note}", step.span)
        elif step.kind in (kinds.RUNTIME, kinds.CONFIG):
            used = ", ".join(step.placeholders) or "a variable set from them"
            ctx.sink.report("H2K614", f"depends on the stack's parameters ({used}): {_where(step, recipe)}, not "
                            f"the image of {resource.name}", step.span)
        elif step.kind == kinds.SIGNAL:
            ctx.sink.report("H2K615", f"in the boot script of {resource.name}: {step.note}", step.span)
        elif step.kind == kinds.VOLUME:
            ctx.sink.report("H2K617", f"volume preparation in the boot script of {resource.name}: {step.note}",
                            step.span)
    for step in recipe.after_start():
        ctx.sink.report("H2K618", f"the boot script of {resource.name} runs this after starting its service; the "
                        "container's start script runs it before the process starts", step.span)
    processes = recipe.processes
    if not processes:
        ctx.sink.report("H2K618", f"the boot script of {resource.name} starts no long-running process; its image has "
                        "no CMD (set one in the Containerfile)", recipe.source)
    for process in processes[:-1]:
        ctx.sink.report("H2K618", f"the boot script of {resource.name} starts {len(processes)} services; its "
                        f"container runs the last ({processes[-1].name}), {process.name} needs a container of its own",
                        process.span)
    if processes and not processes[-1].command and not processes[-1].inline:
        ctx.sink.report("H2K618", f"service {processes[-1].name} of {resource.name} has no known foreground command; "
                        "set the CMD of its Containerfile", processes[-1].span)


def _where(step: Step, recipe: Recipe) -> str:
    if step.kind != kinds.CONFIG:
        return "runs when the container starts"
    if any(p in recipe.hidden or p in recipe.deploy_time for p in step.placeholders):
        return f"{step.path} is written by the start script, from environment variables"
    return f"{step.path} comes from a ConfigMap"


def _runtime(resource: Resource, recipe: Recipe, config: BootConfig, ctx: BackendContext) -> None:
    """The ConfigMap of parameter-dependent files and the start script, and how the pod uses them."""
    from h2k.backends.kubernetes.parameter_secret import secret_reference
    from h2k.backends.kubernetes.software_deployment import env_entry

    variables: dict[str, str] = {}  # placeholder -> environment variable that carries it
    for placeholder, parameter_name in recipe.hidden.items():
        parameter = ctx.stack.parameter(parameter_name)
        if parameter is None:
            continue
        variables[placeholder] = _variable(placeholder)
        config.env.append({"name": variables[placeholder], "valueFrom": secret_reference(parameter, ctx)})
    for placeholder in recipe.deploy_time_used():
        entry = env_entry(_variable(placeholder), recipe.deploy_time[placeholder], resource, ctx)
        if entry is not None:
            variables[placeholder] = _variable(placeholder)
            config.env.append(entry)
    values = {k: v for k, v in recipe.placeholders.items() if v is not None and k not in variables}
    values.update({k: "${" + v + "}" for k, v in variables.items()})
    data: dict[str, str] = {}
    start: list[str] = []
    for step in recipe.steps:
        if step.kind == kinds.RUNTIME or step.at_start:
            start.append(replace_placeholders(step.text, values))
        elif step.kind == kinds.CONFIG and step.path and step.content is not None:
            if any(p in variables for p in step.placeholders):
                start.append(_write_with_variables(step, values))
                continue
            key = _KEY.sub("_", step.path.strip("/"))
            data[key] = replace_placeholders(step.content, values)
            config.mounts.append({"name": "boot-config", "mountPath": step.path, "subPath": key, "readOnly": True})
    processes = recipe.processes
    inline = processes[-1] if processes and processes[-1].inline else None
    if start or (inline is not None and inline.placeholders):
        shell = "/bin/bash" if recipe.shell == "bash" else "/bin/sh"
        # The process: the image's command (`exec "$@"`), or the loop that is the process, in place.
        last = replace_placeholders(inline.text, values) if inline is not None else 'exec "$@"'
        data["start.sh"] = "\n".join([f"#!{shell}",
                                      f"# The steps of {resource.name}'s boot script that depend on the stack's "
                                      "parameters,", "# run each time the container starts, before its process.",
                                      *start, last]) + "\n"
        config.mounts.append({"name": "boot-config", "mountPath": START_SCRIPT, "subPath": "start.sh",
                              "readOnly": True})
        config.command = [shell, START_SCRIPT]
        config.args = list(processes[-1].command) if processes and inline is None else []
    if not data:
        return
    name = f"{resource.object_name}-boot"
    config.volumes.append({"name": "boot-config", "configMap": {"name": name}})
    config.objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": ctx.metadata(resource, name),
                           "data": dict(sorted(data.items()))})


def _variable(placeholder: str) -> str:
    return "H2K_" + re.sub(r"[^A-Za-z0-9_]", "_", placeholder).strip("_").upper()


def _write_with_variables(step: Step, values: dict[str, str]) -> str:
    """A file holding a secret or deploy-time value, written by the start script from its variables.

    The text goes into an unquoted here-document, so the shell expands the `${H2K_...}` variables
    put in place of placeholders and nothing else: every other `$`, backquote and backslash is escaped.
    """
    markers = {key: f"\0{index}\0" for index, key in enumerate(values)}
    text = replace_placeholders(step.content or "", markers)
    text = text.replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")
    for key, marker in markers.items():
        text = text.replace(marker, values[key])
    path = shlex.quote(step.path or "")
    mode = f"\nchmod {step.mode} {path}" if step.mode else ""
    newline = "" if text.endswith("\n") else "\n"
    return f"cat > {path} <<H2K_FILE\n{text}{newline}H2K_FILE{mode}"
