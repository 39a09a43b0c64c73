"""A recipe's image steps -> `images/<name>/Containerfile`, the files it copies, and the image's tag.

The Containerfile keeps the boot script's order. Consecutive command steps share one `RUN`
(joined with `&&` so a failed step fails the build; as a here-document when a step spans lines,
e.g. a `cat <<EOF`), package installs get their manager's cache cleaned once at the end, a file
written with fixed text is a file beside the Containerfile and a `COPY`, `cd` is `WORKDIR`, a
variable of the script is an `ARG` (later `RUN`s see it), an exported one an `ENV`, and the
service the script starts is the `CMD`, in its foreground form. What the image does not hold
(runtime configuration, signals, volume preparation, what needs a VM) is left to the pod and
the analysis report. The tag is a hash of everything written, so a changed recipe is a new image.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from h2k.ir import recipe as kinds
from h2k.ir.recipe import Recipe, Step

_CLEAN = {
    "yum": "yum clean all",
    "dnf": "dnf clean all",
    "microdnf": "microdnf clean all",
    "apt-get": "rm -rf /var/lib/apt/lists/*",
    "apt": "rm -rf /var/lib/apt/lists/*",
    "zypper": "zypper clean --all",
}
# How a cloud-config `packages:` list (no manager of its own) installs on each family.
_INSTALL = {
    "fedora": ("dnf", "dnf -y install {}"),
    "debian": ("apt-get", "apt-get update && apt-get install -y --no-install-recommends {}"),
    "suse": ("zypper", "zypper -n install {}"),
    "alpine": ("apk", "apk add --no-cache {}"),
}
_REFRESH = {"fedora": "dnf -y makecache", "debian": "apt-get update", "suse": "zypper -n refresh",
            "alpine": "apk update"}
_UPGRADE = {"fedora": "dnf -y upgrade", "debian": "apt-get update && apt-get -y upgrade", "suse": "zypper -n update",
            "alpine": "apk upgrade --no-cache"}
_SIMPLE_VALUE = re.compile(r"[^\"\\$`\n]*")
_HEREDOC = "H2K_RUN"


@dataclass
class ImageRecipe:
    """What `images/<name>/` holds, by path relative to that folder."""

    files: dict[str, bytes] = field(default_factory=dict)
    tag: str = ""
    # Steps the Containerfile could not hold as written (a relative path), moved into a RUN.
    notes: list[str] = field(default_factory=list)


def family_of(recipe: Recipe, base: str) -> str | None:
    """The recipe's distribution family, from its package manager, else from the base image."""
    if recipe.family:
        return recipe.family
    lowered = base.lower()
    for family, words in (("fedora", ("fedora", "centos", "ubi", "rocky", "alma")), ("debian", ("ubuntu", "debian")),
                          ("suse", ("suse",)), ("alpine", ("alpine",))):
        if any(word in lowered for word in words):
            return family
    return None


def write_recipe(recipe: Recipe, name: str, base: str, ports: list[tuple[int, str]], source: str,
                 shell: str) -> ImageRecipe:
    """The Containerfile and its files for one server; `source` names the script in a comment."""
    family = family_of(recipe, base)
    writer = _Writer(shell, family)
    writer.lines += [f"# The image of {name}, built from the boot script at {source} by h2k.",
                     "# What each line of the script became: analysis.md beside this file.",
                     f"FROM {base}"]
    if shell == "bash":
        writer.lines.append('SHELL ["/bin/bash", "-c"]')
    if family == "debian":
        writer.lines.append("ARG DEBIAN_FRONTEND=noninteractive")
    last_install = {s.manager or _family_manager(family): index
                    for index, s in enumerate(recipe.steps) if s.kind == kinds.IMAGE and (s.packages or s.manager)}
    for index, step in enumerate(recipe.steps):
        writer.step(step, index, last_install)
    writer.flush()
    if writer.workdir:
        writer.lines.append("WORKDIR /")
    for port, protocol in ports:
        writer.lines.append(f"EXPOSE {port}/{protocol.lower()}")
    processes = recipe.processes
    for other in processes[:-1]:
        writer.lines.append(f"# line {other.span.line} also starts {other.name}: it needs a container of its own")
    if processes:
        process = processes[-1]
        if process.command:
            writer.lines.append(f"CMD {json.dumps(list(process.command))}")
        elif process.inline and not process.placeholders:
            interpreter = "/bin/bash" if shell == "bash" else "/bin/sh"
            writer.lines.append(f"CMD {json.dumps([interpreter, '-c', process.text])}")
        elif process.inline:
            writer.lines.append(f"# line {process.span.line} is the process; it uses the stack's parameters, so it "
                                "runs from the start script of the pod")
        else:
            writer.lines.append(f"# line {process.span.line} starts {process.name}: set its foreground command as CMD")
    result = ImageRecipe(files=dict(writer.files), notes=writer.notes)
    result.files["Containerfile"] = ("\n".join(writer.lines) + "\n").encode()
    digest = hashlib.sha256()
    for path in sorted(result.files):
        digest.update(path.encode() + b"\0" + result.files[path] + b"\0")
    result.tag = f"h2k-{digest.hexdigest()[:12]}"
    return result


class _Writer:
    def __init__(self, shell: str, family: str | None) -> None:
        self.shell = shell
        self.family = family
        self.lines: list[str] = []
        self.group: list[str] = []
        self.files: dict[str, bytes] = {}
        self.notes: list[str] = []
        self.workdir = False

    def flush(self) -> None:
        if not self.group:
            return
        if any("\n" in text for text in self.group):
            shebang = "#!/bin/bash\n" if self.shell == "bash" else ""
            self.lines.append(f"RUN <<'{_HEREDOC}'\n{shebang}set -e\n" + "\n".join(self.group) + f"\n{_HEREDOC}")
        else:
            self.lines.append("RUN " + " \\\n    && ".join(self.group))
        self.group = []

    def step(self, step: Step, index: int, last_install: dict[str, int]) -> None:
        kind = step.kind
        if kind == kinds.IMAGE:
            self.image(step, index, last_install)
        elif kind == kinds.UNKNOWN and step.text:
            self.flush()
            self.lines.append(f"# line {step.span.line}, not understood by h2k ({step.note}): copied as written")
            self.group.append(step.text)
            self.flush()
        elif kind == kinds.FILE:
            self.file(step)
        elif kind == kinds.ENV and step.name:
            self.flush()
            self.lines.append(f"ENV {step.name}={_env_value(step.value or '')}")
        elif kind == kinds.VM_ONLY:
            self.flush()
            self.lines.append(f"# line {step.span.line} left out: {step.note}")

    def image(self, step: Step, index: int, last_install: dict[str, int]) -> None:
        text = step.text
        if not text:  # from a cloud-config document: written here in the family's own terms
            text = self.cloud_config_command(step)
            if not text:
                return
        if text.startswith("cd ") and step.path and step.path.startswith("/"):
            self.flush()
            self.lines.append(f"WORKDIR {step.path}")
            self.workdir = True
            return
        if step.name and step.value is not None and not step.packages and _SIMPLE_VALUE.fullmatch(step.value):
            self.flush()
            self.lines.append(f'ARG {step.name}="{step.value}"')
            return
        manager = step.manager or (_family_manager(self.family) if step.packages else "")
        self.group.append(text)
        if manager and last_install.get(manager) == index and manager in _CLEAN:
            self.group.append(_CLEAN[manager])

    def cloud_config_command(self, step: Step) -> str:
        family = self.family or ""
        if step.packages:
            install = _INSTALL.get(family)
            if install is None:
                self.notes.append(f"line {step.span.line}: packages {', '.join(step.packages)} need a package manager; "
                                  "the base image's family is not known")
                return ""
            return install[1].format(" ".join(step.packages))
        if step.manager in ("refresh", "upgrade"):
            return (_REFRESH if step.manager == "refresh" else _UPGRADE).get(family, "")
        return ""

    def file(self, step: Step) -> None:
        path = step.path or ""
        if not path.startswith("/") or step.content is None:
            self.notes.append(f"line {step.span.line}: {path} is not an absolute path; written by a RUN instead")
            self.group.append(step.text)
            return
        self.flush()
        relative = "files" + str(PurePosixPath(path))
        self.files[relative] = step.content.encode()
        flags = ""
        if step.name:
            flags += f" --chown={step.name}"
        if step.mode:
            flags += f" --chmod={step.mode.removeprefix('0o').lstrip('0') or '0'}"
        self.lines.append(f"COPY{flags} {relative} {path}")


def _family_manager(family: str | None) -> str:
    """The package manager a cloud-config `packages:` list is installed with on a family ("" if unknown)."""
    return _INSTALL[family][0] if family in _INSTALL else ""


def _env_value(value: str) -> str:
    """A value as ENV reads it: bare when it is one plain word, else double-quoted and escaped."""
    if value and re.fullmatch(r"[-A-Za-z0-9_./:,+=@%]+", value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'
