"""A `#cloud-config` document's modules, sorted like the statements of a boot script.

cloud-init runs a document's modules in its own order, whatever order the keys are written in:
`bootcmd` early, then `write_files`, `users`, `packages`, `mounts`, and `runcmd` last. The steps
come out in that order. `runcmd` and `bootcmd` entries are shell (a string is a line of shell, a
list is one command's words) and are sorted by the shell rules; the other modules are sorted
here. A module h2k does not know is flagged, not guessed at.
"""

from __future__ import annotations

import base64
import dataclasses
import shlex
from typing import Any

from h2k.diagnostics.model import Diagnostic
from h2k.frontends.shell.origin import Origin
from h2k.ir import recipe as kinds
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr, to_data
from h2k.ir.recipe import Step
from h2k.passes.immutability.shell import analyse_shell
from h2k.source.nodes import Node, YScalar, YSeq
from h2k.span import Span

# cloud-init's order of the modules that change a machine (cloud_init_modules, cloud_config_modules).
_ORDER = ("bootcmd", "write_files", "users", "groups", "package_update", "package_upgrade", "apt", "yum_repos",
          "packages", "mounts", "runcmd")
_DROPPED = {
    "ssh_authorized_keys": "a container is not reached over SSH",
    "ssh_pwauth": "a container is not reached over SSH",
    "ssh_keys": "a container is not reached over SSH",
    "disable_root": "a container is not reached over SSH",
    "chpasswd": "a container has no console login",
    "password": "a container has no console login",
    "timezone": "the clock belongs to the node",
    "ntp": "the clock belongs to the node",
    "hostname": "a pod's hostname is set by Kubernetes",
    "fqdn": "a pod's hostname is set by Kubernetes",
    "manage_etc_hosts": "Kubernetes writes a pod's /etc/hosts",
    "preserve_hostname": "a pod's hostname is set by Kubernetes",
    "final_message": "a message cloud-init logs when it finishes",
    "output": "where cloud-init logs",
    "locale": "the image's locale is set when it is built",
    "package_reboot_if_required": "a container does not reboot",
    "merge_how": "how cloud-init merges documents",
    "merge_type": "how cloud-init merges documents",
}
_VM_ONLY = {
    "growpart": "a container has no partitions to grow",
    "resize_rootfs": "a container has no file systems to resize",
    "disk_setup": "a container has no block devices",
    "fs_setup": "a container has no block devices",
    "swap": "swap belongs to the node",
    "power_state": "a container does not power its machine off",
}


@dataclasses.dataclass
class CloudConfigResult:
    steps: list[Step]
    family: str | None
    findings: list[Diagnostic]


def analyse_cloud_config(document: Expr, placeholders: dict[str, str | None]) -> CloudConfigResult:
    """Sort a cloud-config document (its spans are where it is written)."""
    result = CloudConfigResult([], None, [])
    if not isinstance(document, MapExpr):
        return result
    entries = {str(k.value): (k, v) for k, v in document.entries}
    ordered = [name for name in _ORDER if name in entries] + [n for n in entries if n not in _ORDER]
    for name in ordered:
        key, value = entries[name]
        _module(name, key, value, placeholders, result)
    return result


def _step(kind: str, key: Expr, text: str, note: str, **fields: Any) -> Step:
    return Step(kind=kind, span=key.span, text=text, note=note, **fields)


def _module(name: str, key: Literal, value: Expr, placeholders: dict[str, str | None],
            result: CloudConfigResult) -> None:
    steps = result.steps
    if name in ("runcmd", "bootcmd"):
        for item in value.items if isinstance(value, ListExpr) else ():
            _command(name, item, placeholders, result)
        return
    if name == "packages":
        listed = to_data(value)
        packages = tuple(_package(p) for p in listed) if isinstance(listed, list) else ()
        steps.append(_step(kinds.IMAGE, key, "", f"installs {len(packages)} package{'s' if len(packages) != 1 else ''}",
                           packages=packages))
        return
    if name in ("package_update", "package_upgrade"):
        if to_data(value) is True:
            steps.append(_step(kinds.IMAGE, key, "", "refreshes the package index" if name == "package_update"
                               else "upgrades the installed packages", manager="refresh" if name == "package_update"
                               else "upgrade"))
        return
    if name == "write_files":
        for item in value.items if isinstance(value, ListExpr) else ():
            _write_file(item, placeholders, steps)
        return
    if name in ("users", "groups"):
        steps.append(_step(kinds.IMAGE, key, _users_text(name, to_data(value)), f"creates {name}"))
        return
    if name == "mounts":
        for item in value.items if isinstance(value, ListExpr) else ():
            mount = to_data(item)
            if isinstance(mount, list) and len(mount) >= 2:
                device, path = str(mount[0]), str(mount[1])
                steps.append(_step(kinds.VOLUME, item, "", f"mounts {device} at {path}: the volume's claim is "
                                   "mounted there", path=path, name=device))
        return
    if name in _DROPPED:
        steps.append(_step(kinds.DROPPED, key, "", f"{name}: {_DROPPED[name]}"))
    elif name in _VM_ONLY:
        steps.append(_step(kinds.VM_ONLY, key, "", f"{name}: {_VM_ONLY[name]}"))
    else:
        steps.append(_step(kinds.UNKNOWN, key, "", f"cloud-config module {name} is not one h2k knows"))


def _command(module: str, item: Expr, placeholders: dict[str, str | None], result: CloudConfigResult) -> None:
    data = to_data(item)
    if isinstance(data, list):
        text = shlex.join(str(word) for word in data)
    elif isinstance(data, str):
        text = data
    else:
        return
    span = item.span
    shell = analyse_shell(text, Origin(span.file, span.line, span.column, exact=False), placeholders)
    result.findings.extend(shell.findings)
    if shell.family and result.family is None:
        result.family = shell.family
    if shell.unreadable:
        result.steps.append(_step(kinds.UNKNOWN, item, text, shell.unreadable))
        return
    for step in shell.steps:
        note = f"{module}: {step.note}"
        result.steps.append(dataclasses.replace(step, span=span, note=note))


def _package(item: object) -> str:
    """A package, or `[name, version]` as cloud-init writes a pinned one."""
    if isinstance(item, list) and len(item) == 2:
        return f"{item[0]}-{item[1]}"
    return str(item)


def _write_file(item: Expr, placeholders: dict[str, str | None], steps: list[Step]) -> None:
    data = to_data(item)
    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        steps.append(_step(kinds.UNKNOWN, item, "", "a write_files entry without a path"))
        return
    path = data["path"]
    content = data.get("content", "")
    encoding = str(data.get("encoding", "")).lower()
    if encoding in ("b64", "base64"):
        try:
            content = base64.b64decode(str(content)).decode()
        except ValueError:
            steps.append(_step(kinds.UNKNOWN, item, "", f"the base64 content of {path} cannot be decoded as text"))
            return
    elif encoding:
        steps.append(_step(kinds.UNKNOWN, item, "", f"the {encoding} content of {path} is not decoded by h2k"))
        return
    if data.get("append"):
        steps.append(_step(kinds.UNKNOWN, item, "", f"appends to {path}, whose content before is not known"))
        return
    text = str(content)
    used = tuple(key for key in placeholders if key and key in text)
    mode = str(data["permissions"]) if "permissions" in data else None
    kind = kinds.CONFIG if used else kinds.FILE
    note = f"writes {path}" + (" with the stack's parameters: runtime configuration" if used
                                else ": a file of the image")
    steps.append(_step(kind, item, "", note, path=path, content=text, mode=mode, placeholders=used,
                       name=str(data["owner"]) if "owner" in data else None))


def _users_text(module: str, value: object) -> str:
    """The commands that create the users (or groups) a cloud-config lists."""
    commands = []
    for entry in value if isinstance(value, list) else []:
        if entry == "default":
            continue
        name = entry.get("name") if isinstance(entry, dict) else entry if isinstance(entry, str) else None
        if not isinstance(name, str):
            continue
        if module == "groups":
            commands.append(f"groupadd -f {shlex.quote(name)}")
            continue
        command = ["useradd", "-m"]
        if isinstance(entry, dict) and isinstance(entry.get("shell"), str):
            command += ["-s", entry["shell"]]
        if isinstance(entry, dict) and isinstance(entry.get("groups"), str):
            command += ["-G", entry["groups"]]
        commands.append(shlex.join([*command, name]))
    return " && ".join(commands)


def from_yaml(node: Node, origin: Origin) -> Expr:
    """A cloud-config document loaded from a script's text, with spans mapped into the template."""

    def span(at: Span) -> Span:
        return origin.span(at.line, at.column, at.end_line, at.end_column)

    def convert(item: Node) -> Expr:
        if isinstance(item, YScalar):
            return Literal(value=item.value, span=span(item.span))
        if isinstance(item, YSeq):
            return ListExpr(items=tuple(convert(i) for i in item.items), span=span(item.span))
        return MapExpr(entries=tuple((Literal(value=k.value, span=span(k.span)), convert(v))
                                     for k, v in item.entries), span=span(item.span))

    return convert(node)
