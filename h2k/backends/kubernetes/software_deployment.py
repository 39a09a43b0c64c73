"""SoftwareDeployment(Group) -> an init container of the server's pod that runs the config's script.

In Heat, a deployment runs a config's script inside the server once it has booted, with the
deployment's input values as environment variables, before the stack completes. The closest pod
counterpart is an init container: it runs in every pod before the application starts, with the
same image and the same volumes, and a changed input changes the pod template, so the script runs
again, as Heat runs it again on UPDATE. Only `group: script` configs run; other hooks (puppet,
ansible, salt, ...) need their tool inside an image, and are reported instead (H2K412).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from h2k.backends.kubernetes.addresses import addressed_workload, service_name
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.parameter_secret import hidden_parameter, secret_reference
from h2k.backends.kubernetes.wiring import infrastructure_value, wire
from h2k.diagnostics.codes import Severity
from h2k.ir import recipe as kinds
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, referenced_resource
from h2k.ir.links import deployment_servers, resource_target
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls
from h2k.passes.names import dns_label

CONFIG_ROOT = "/var/lib/h2k/config"  # where a config's ConfigMap is mounted, one directory per config
OUTPUTS_PATH = "/var/lib/h2k/outputs"  # an emptyDir the script may write its declared outputs into
CONFIG_KEY = "config"  # the ConfigMap key holding the script, named after Heat's `config` attribute
RUNNABLE_GROUP = "script"
DEFAULT_ACTIONS = ("CREATE", "UPDATE")
# What env names Kubernetes accepts in every supported version (newer ones accept more).
ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")

MAPPED = {
    "config": "the init container runs the config's script, mounted from the config's ConfigMap under "
              f"`{CONFIG_ROOT}/<config>/`; configs of another `group` than `script` are not run (H2K412)",
    "server": "the pod the init container joins: the server's Deployment or StatefulSet",
    "servers": "(deployment groups) every named server's pod gets the init container",
    "input_values": "environment variables of the init container, with the config's input defaults; a value "
                    "from an `OS::Heat::RandomString` comes from its Secret; other deploy-time values H2K302",
    "actions": "`CREATE` runs the script whenever a pod starts, which covers `UPDATE` (changed inputs roll the "
               "pods out); `SUSPEND`, `RESUME` and `DELETE` have no pod counterpart (H2K402, a note); without "
               "`CREATE` nothing runs (H2K412)",
    "name": "the order of the server's init containers (Heat runs a server's deployments by name)",
    "signal_transport": "nothing: the init container finishing is the signal",
}
HANDLED = frozenset(MAPPED)
REASONS = {
    "input_key": "structured configs are not run as scripts",
    "input_values_validate": "structured configs are not run as scripts",
}
# Inputs Heat derives for every deployment that have a pod counterpart; the others (signal URLs,
# Keystone credentials, queue ids) address Heat itself.
DERIVED = {"deploy_action": "CREATE"}


@dataclass(frozen=True, slots=True)
class Step:
    """One deployment run on one server, as an init container of that server's pod."""

    deployment: Resource
    config: Resource
    container: dict[str, object]


def runnable_config(config: Resource) -> str | None:
    """The script text when the config is one h2k can run; None otherwise."""
    group = config.properties.get("group")
    text = config.properties.get(CONFIG_KEY)
    if not (isinstance(group, Literal) and group.value == RUNNABLE_GROUP):
        return None
    return text.value if isinstance(text, Literal) and isinstance(text.value, str) else None


def group_of(config: Resource) -> str:
    group = config.properties.get("group")
    return str(group.value) if isinstance(group, Literal) else "Heat::Ungrouped"


def index_steps(ctx: BackendContext) -> dict[str, list[Step]]:
    """Server name -> the deployments it runs, in Heat's order; what cannot run is reported once."""
    by_name = {r.name: r for r in ctx.stack.resources}
    steps: dict[str, list[Step]] = {}
    for deployment in ctx.stack.resources:
        if deployment.role != "software-deployment":
            continue
        config = by_name.get(resource_target(deployment.properties.get("config")) or "")
        if config is None or config.role != "software-config":
            given = deployment.properties.get("config")
            ctx.sink.report("H2K412", f"deployment {deployment.name} does not name a config of this template "
                            "({get_resource: ...}), so there is nothing to run", given.span if given else
                            deployment.span)
            continue
        if not _runs_on_create(deployment, ctx):
            continue
        script = runnable_config(config)
        if script is None:
            _report_not_run(deployment, config, ctx)
            continue
        servers = _servers(deployment, by_name, ctx)
        on_vms = any((s := by_name.get(n or "")) is not None and s.role == "virtual-machine"
                     for n, _ in deployment_servers(deployment))
        if not servers and not on_vms:
            ctx.sink.report("H2K412", f"deployment {deployment.name} is not run: it names no server translated here "
                            "(server: {get_resource: ...})", deployment.span)
        for server in servers:
            container = _container(deployment, config, server, ctx)
            steps.setdefault(server.name, []).append(Step(deployment, config, container))
    _report_lost_changes(steps, ctx)
    return {server: _ordered(found) for server, found in steps.items()}


def emit_deployment(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """A deployment becomes init containers of its servers (index_steps); it has no object of its own."""
    report_unhandled(resource, HANDLED, REASONS, ctx)
    return []


# What an init container does that its pod's main container never sees: its own file system and
# environment end with it (only the volumes it shares carry anything over).
_LOST = {kinds.FILE: "the file it writes", kinds.CONFIG: "the file it writes", kinds.ENV: "the variable it exports",
         kinds.PROCESS: "the service it starts"}


def _report_lost_changes(steps: dict[str, list[Step]], ctx: BackendContext) -> None:
    """Statements of deployed scripts whose effect stays in the init container (H2K619), once each:
    package installs, files written outside the volumes the pod shares, exports, service starts."""
    shared: dict[str, list[str]] = {}  # config -> the mount paths its init containers share
    configs: dict[str, Resource] = {}
    for server, found in steps.items():
        paths = [m.path for m in ctx.mounts.get(server, []) if m.path]
        for step in found:
            configs[step.config.name] = step.config
            shared.setdefault(step.config.name, []).extend(paths)
    for name, config in configs.items():
        recipe = config.recipe
        for statement in recipe.steps if recipe is not None else ():
            if statement.kind == kinds.IMAGE and statement.packages:
                what = f"the packages it installs ({', '.join(statement.packages)}) stay"
            elif statement.kind in _LOST and not _under(statement.path, shared[name]):
                what = f"{_LOST[statement.kind]} stays"
            elif statement.kind == kinds.RUNTIME and statement.path and not _under(statement.path, shared[name]):
                what = f"the file it writes ({statement.path}) stays"
            else:
                continue
            ctx.sink.report("H2K619", f"config {config.name} runs in an init container: {what} there, out of the "
                            "main container; build it into the server's image", statement.span)


def _under(path: str | None, roots: list[str]) -> bool:
    return path is not None and any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _runs_on_create(deployment: Resource, ctx: BackendContext) -> bool:
    actions = deployment.properties.get("actions")
    if actions is None:
        return True
    if not isinstance(actions, ListExpr) or not all(isinstance(a, Literal) for a in actions.items):
        ctx.sink.report("H2K302", f"the actions of deployment {deployment.name} are only known at deploy time; it "
                        "is run when a pod starts", actions.span)
        return True
    names = [str(a.value) for a in actions.items if isinstance(a, Literal)]
    others = [name for name in names if name not in DEFAULT_ACTIONS]
    if others:
        ctx.drop(deployment, "actions", f"pods have no counterpart of {', '.join(others)}; the script runs when a "
                 "pod starts", actions.span, Severity.INFO)
    if "CREATE" not in names:
        ctx.sink.report("H2K412", f"deployment {deployment.name} runs only on {', '.join(names) or 'no action'}, "
                        "which pods have no counterpart of; it is not run", actions.span)
        return False
    return True


def _report_not_run(deployment: Resource, config: Resource, ctx: BackendContext) -> None:
    group = group_of(config)
    if group == RUNNABLE_GROUP:
        reason = "its script is only known at deploy time"
    elif group == "Heat::Ungrouped":
        reason = "its config has no group, so no Heat hook would run it either"
    else:
        reason = (f"its config is for the {group!r} hook, whose tool must be built into the image; the "
                  "configuration is kept in the report")
    ctx.sink.report("H2K412", f"deployment {deployment.name} is not run: {reason}", deployment.span)


def _servers(deployment: Resource, by_name: dict[str, Resource], ctx: BackendContext) -> list[Resource]:
    """The translated servers a deployment (or deployment group) runs on."""
    single = deployment.properties.get("server")
    found: list[Resource] = []
    for name, target in deployment_servers(deployment):
        server = by_name.get(name or "")
        if server is not None and server.role == "virtual-machine":
            ctx.sink.report("H2K412", f"deployment {deployment.name} is not run on {server.name}: a virtual machine "
                            "on KubeVirt has no Heat to poll for deployments; run the config from its user_data",
                            target.span)
            continue
        if server is None or server.role != "workload":
            key = "server" if target is single else "servers"
            ctx.drop(deployment, key, "it does not name a server translated here ({get_resource: ...})",
                     target.span)
            continue
        if server not in found:
            found.append(server)
    return found


def _container(deployment: Resource, config: Resource, server: Resource,
               ctx: BackendContext) -> dict[str, object]:
    """The init container; `image` and the server's own volume mounts are added by the server."""
    directory = f"{CONFIG_ROOT}/{config.object_name}"
    env = [*_inputs(deployment, config, ctx),
           {"name": "deploy_server_id", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
           {"name": "deploy_resource_name", "value": deployment.name},
           *({"name": name, "value": value} for name, value in DERIVED.items()),
           {"name": "heat_outputs_path", "value": f"{OUTPUTS_PATH}/{dns_label(deployment.name)}"}]
    mounts = [{"name": config_volume(config), "mountPath": directory, "readOnly": True},
              {"name": OUTPUTS_VOLUME, "mountPath": OUTPUTS_PATH}]
    return {"name": dns_label(deployment.name), "command": [f"{directory}/{CONFIG_KEY}"], "env": env,
            "volumeMounts": mounts}


OUTPUTS_VOLUME = "h2k-outputs"


def config_volume(config: Resource) -> str:
    return f"config-{config.object_name}"[:63].rstrip("-")


def _inputs(deployment: Resource, config: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """The config's declared inputs, with defaults, then undeclared input values, as Heat passes them."""
    given = deployment.properties.get("input_values")
    values: dict[str, Expr] = {}
    if isinstance(given, MapExpr):
        values = {str(key.value): value for key, value in given.entries}
    elif given is not None:
        ctx.sink.report("H2K302", f"the input values of deployment {deployment.name} are only known at deploy time",
                        given.span)
    declared = config.properties.get("inputs")
    names: list[str] = []
    defaults: dict[str, Expr] = {}
    for item in declared.items if isinstance(declared, ListExpr) else ():
        declared_name = item.get("name") if isinstance(item, MapExpr) else None
        if isinstance(declared_name, Literal) and isinstance(declared_name.value, str):
            names.append(declared_name.value)
            default = item.get("default") if isinstance(item, MapExpr) else None
            if default is not None:
                defaults[declared_name.value] = default
    names += [name for name in values if name not in names]
    env: list[dict[str, object]] = []
    for name in names:
        expr = values.get(name, defaults.get(name))
        if not ENV_NAME.fullmatch(name):
            span = given.key_span(name) if isinstance(given, MapExpr) and name in values else config.span
            ctx.drop(deployment, "input_values", f"input {name!r} is not a valid environment variable name",
                     span or config.span)
            continue
        entry = env_entry(name, expr, deployment, ctx)
        if entry is not None:
            env.append(entry)
    return env


def env_entry(name: str, expr: Expr | None, owner: Resource, ctx: BackendContext) -> dict[str, object] | None:
    """An environment variable of a container: literal data as text, a RandomString from its Secret."""
    if expr is None:
        return {"name": name, "value": ""}
    hidden = hidden_parameter(expr, ctx)
    if hidden is not None:
        return {"name": name, "valueFrom": secret_reference(hidden, ctx)}
    if isinstance(expr, Literal):
        value = expr.value
        return {"name": name, "value": value if isinstance(value, str) else
                "" if value is None else json.dumps(value)}
    if not any(True for _ in calls(expr)):
        from h2k.ir.expr import to_data

        return {"name": name, "value": json.dumps(to_data(expr), sort_keys=True)}
    infrastructure = infrastructure_value(expr, ctx)
    if infrastructure is not None and isinstance(expr, Call):
        return {"name": name, "valueFrom": wire(name, expr, infrastructure, owner, ctx)}
    workload = addressed_workload(expr, ctx)
    if workload is not None:
        return {"name": name, "value": service_name(workload, expr, ctx)}
    secret = _random_string(expr, ctx)
    if secret is not None:
        return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret.object_name, "key": "value"}}}
    call = next(calls(expr))
    ctx.sink.report("H2K302", f"{name} of {owner.name} is only known at deploy time; it is not passed", call.span)
    return None


def _random_string(expr: Expr, ctx: BackendContext) -> Resource | None:
    """The RandomString a value is, when it is `{get_resource: r}` or `{get_attr: [r, value]}`."""
    if not isinstance(expr, Call):
        return None
    target = ctx.stack.resource(referenced_resource(expr) or "")
    if target is None or target.role != "secret":
        return None
    if expr.function == "get_resource":
        return target
    args = expr.args
    if (expr.function == "get_attr" and isinstance(args, ListExpr) and len(args.items) == 2
            and isinstance(args.items[1], Literal) and args.items[1].value == "value"):
        return target
    return None


def _ordered(steps: list[Step]) -> list[Step]:
    """By the deployments' `name` (Heat's order on a server), after those they depend on."""
    def sort_name(step: Step) -> str:
        given = step.deployment.properties.get("name")
        return str(given.value) if isinstance(given, Literal) else step.deployment.name

    remaining = sorted(steps, key=sort_name)
    done: list[Step] = []
    while remaining:
        names = {step.deployment.name for step in remaining}
        ready = next((s for s in remaining if not (_depends_on(s.deployment) & (names - {s.deployment.name}))),
                     remaining[0])  # a cycle was reported by the reference checks; keep the name order
        done.append(ready)
        remaining.remove(ready)
    return done


def _depends_on(deployment: Resource) -> set[str]:
    referenced = {referenced_resource(call) for call in calls(deployment.properties)}
    return {*deployment.depends_on, *(name for name in referenced if name)}


def init_containers(steps: list[Step], main: dict[str, object]) -> list[dict[str, object]]:
    """The steps as init containers, in the main container's image and with its volume mounts."""
    taken = {str(main["name"])}
    containers = []
    for step in steps:
        name = str(step.container["name"])
        suffix = 2
        while name in taken:
            name = f"{str(step.container['name'])[:60]}-{suffix}"
            suffix += 1
        taken.add(name)
        mounts = step.container["volumeMounts"]
        assert isinstance(mounts, list)
        shared = main.get("volumeMounts", [])
        assert isinstance(shared, list)
        containers.append({"name": name, "image": main["image"], "command": step.container["command"],
                           "env": step.container["env"], "volumeMounts": [*mounts, *shared]})
    return containers


def step_volumes(steps: list[Step]) -> list[dict[str, object]]:
    """One volume per config the steps run (mode 0755, so the script is executable) and one for outputs."""
    if not steps:
        return []
    configs = {step.config.name: step.config for step in steps}
    volumes: list[dict[str, object]] = [
        {"name": config_volume(config), "configMap": {"name": config.object_name, "defaultMode": 0o755}}
        for config in configs.values()]
    volumes.append({"name": OUTPUTS_VOLUME, "emptyDir": {}})
    return volumes
