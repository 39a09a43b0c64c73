"""A server's `user_data` -> the cloud-init user data of its KubeVirt virtual machine, from a Secret.

Nova hands `user_data` to cloud-init in the guest; KubeVirt does the same through a NoCloud (or
config-drive) disk whose user data it reads from a Secret (`secretRef`, key `userdata`). The text
is what Heat would hand over: the property as written, or the config it names (an
`OS::Heat::SoftwareConfig`'s `config`; an `OS::Heat::CloudConfig` as `#cloud-config` and the YAML
dump Heat makes of it). A boot script is no secret, so a known text is written into the Secret;
but h2k never writes a password: when the text holds a hidden parameter's value, or is only known
at deploy time, or is a MIME message h2k does not rebuild (`OS::Heat::MultipartMime`), the Secret
carries no value and the user supplies the text at deploy time (H2K431).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEYS_ANNOTATION
from h2k.ir.expr import Expr, Literal, is_known, referenced_resource, to_data
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls
from h2k.output.secrets import secret_values

USERDATA_KEY = "userdata"  # the key KubeVirt reads a NoCloud or config-drive user data Secret from
CLOUD_CONFIG_HEADER = "#cloud-config\n"


@dataclass(frozen=True, slots=True)
class BootData:
    """A machine's user data: its text, or why the user supplies it at deploy time (`text` is None)."""

    text: str | None
    why: str = ""


def boot_data(server: Resource, expr: Expr, ctx: BackendContext) -> BootData | None:
    """What cloud-init receives; None when there is no user data (an empty text, as Heat's default)."""
    config = ctx.stack.resource(resource_target(expr) or "")
    found: BootData | None
    if config is not None:
        found = _config_text(config, ctx)
    elif isinstance(expr, Literal):
        text = "" if expr.value is None else str(expr.value)
        found = BootData(text) if text else None
    else:
        found = BootData(None, f"it is only known at deploy time ({_deploy_time_inputs(expr, ctx)})")
    if found is None or found.text is None:
        return found
    hidden = sorted({p.name for value, p in secret_values(ctx.stack).items() if value in found.text})
    if hidden:
        return BootData(None, f"it holds the value of hidden parameter {', '.join(hidden)}")
    return found


def _config_text(config: Resource, ctx: BackendContext) -> BootData:
    """The text of a config named as user data, as Heat renders it."""
    if config.type == "OS::Heat::CloudConfig":
        document = config.properties.get("cloud_config")
        if document is not None and not is_known(document):
            return BootData(None, f"cloud-config {config.name} is only known at deploy time "
                            f"({_deploy_time_inputs(document, ctx)})")
        data = to_data(document) if document is not None else {}
        return BootData(CLOUD_CONFIG_HEADER + yaml.dump(data, Dumper=yaml.SafeDumper))
    if config.type == "OS::Heat::MultipartMime":
        return BootData(None, f"{config.name} is MIME multipart boot data, which h2k does not rebuild")
    text = config.properties.get("config") if config.role == "software-config" else None
    if isinstance(text, Literal) and isinstance(text.value, str):
        return BootData(text.value)
    if text is not None and not isinstance(text, Literal):
        return BootData(None, f"the config of {config.name} is only known at deploy time "
                        f"({_deploy_time_inputs(text, ctx)})")
    return BootData(None, f"{config.name} ({config.type}) has no text h2k can hand to cloud-init")


def _deploy_time_inputs(expr: Expr, ctx: BackendContext) -> str:
    """What a value waits for, in the template's words: `get_attr of wait_handle`, `hidden parameter db_password`."""
    found: list[str] = []
    for call in calls(expr):
        if call.function == "get_param" and isinstance(call.args, Literal):
            parameter = ctx.stack.parameter(str(call.args.value))
            what = f"{'hidden ' if parameter is not None and parameter.hidden else ''}parameter {call.args.value!s}"
        elif (named := referenced_resource(call)) is not None:
            what = f"{call.function} of {named}"
        else:
            continue
        if what not in found:
            found.append(what)
    return ", ".join(found[:3]) + (", ..." if len(found) > 3 else "") if found else "a computed value"


def userdata_secret(server: Resource, name: str, data: BootData, ctx: BackendContext) -> dict[str, object]:
    """The Secret the machine's cloud-init disk reads: with the text, or without a value (deploy time)."""
    metadata = ctx.metadata(server, name)
    if data.text is not None:
        return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque",
                "stringData": {USERDATA_KEY: data.text}}
    annotations = metadata["annotations"]
    assert isinstance(annotations, dict)
    annotations[DEPLOY_TIME] = f"the cloud-init user data (user_data) of server {server.name}: {data.why}"
    annotations[KEYS_ANNOTATION] = USERDATA_KEY
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"}


def boot_configs(ctx: BackendContext) -> set[str]:
    """Configs of the template that a virtual machine's user data is made from."""
    from h2k.passes.placement import VM_ROLE

    return configs_in([server.properties.get("user_data") for server in ctx.stack.resources
                       if server.role == VM_ROLE], ctx)


def configs_in(values: list[Expr | None], ctx: BackendContext) -> set[str]:
    """Configs of the template that user data is made from: those it names, and the parts of those
    (a MultipartMime's parts, a config's `get_attr` of another), however deep."""
    found: set[str] = set()
    queue = list(values)
    while queue:
        for call in calls(queue.pop()):
            config = ctx.stack.resource(referenced_resource(call) or "")
            if config is not None and config.role == "software-config" and config.name not in found:
                found.add(config.name)
                queue.append(config.properties)
    return found
