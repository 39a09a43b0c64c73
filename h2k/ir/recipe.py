"""What a server's boot scripts do, sorted into image, runtime configuration, process and refusals.

A legacy stack boots a generic image and changes it while it boots. The immutability pass reads
those changes (passes/immutability/) and records them here, one `Step` per statement of the
script, in the script's order; the Kubernetes backend builds the pod from it and the images
backend writes the Containerfile. Every step keeps its span, so the confidence report can say,
line by line, what each statement became.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.ir.expr import Expr
from h2k.span import Span

# What a statement becomes.
IMAGE = "image"  # a RUN step of the image recipe
FILE = "file"  # a file of the image, written next to the Containerfile and copied in
CONFIG = "config"  # a file that depends on parameters: mounted from a ConfigMap (or a Secret)
RUNTIME = "runtime"  # a command that depends on parameters: runs when the container starts
PROCESS = "process"  # the container's long-running process
ENV = "env"  # an environment variable of the image (or of the container, when it depends on parameters)
VOLUME = "volume"  # volume preparation (mkfs, mount): the claim is mounted at the path instead
SIGNAL = "signal"  # a wait-condition signal: the pod's readiness stands for it
DROPPED = "dropped"  # nothing to do in a container (logging, enabling a service at boot, selinux)
VM_ONLY = "vm-only"  # cannot run in a container (kernel, network, reboot): the server may stay a VM
UNKNOWN = "unknown"  # not understood: copied into the image as written, and flagged

KINDS = (IMAGE, FILE, CONFIG, RUNTIME, PROCESS, ENV, VOLUME, SIGNAL, DROPPED, VM_ONLY, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Step:
    """One statement of a boot script and what it becomes.

    `text` is the statement as it will run (for RUN and start-up steps), `note` says why it was
    sorted that way. `packages` is set for package installs (the manager and its packages), so
    that consecutive installs are grouped into one idiomatic RUN; `path`, `content` and `mode`
    for files; `name` and `value` for environment variables; `command` for the process.
    """

    kind: str
    span: Span  # in the template (the script's line inside the YAML), as every finding
    text: str
    note: str = ""
    manager: str | None = None
    packages: tuple[str, ...] = ()
    path: str | None = None
    content: str | None = None
    mode: str | None = None
    name: str | None = None
    value: str | None = None
    command: tuple[str, ...] = ()
    # Placeholders of the str_replace around the script (or parameter-fed variables) it uses.
    placeholders: tuple[str, ...] = ()
    # An image step that sets a variable the start script or the process reads: it runs there too.
    at_start: bool = False

    @property
    def inline(self) -> bool:
        """A process that is the statement itself (a `while true` loop), not a service's command."""
        return self.kind == PROCESS and not self.command and self.name is None


@dataclass(frozen=True, slots=True)
class Recipe:
    """A server's boot-time changes, analysed; `source` is where the script is written.

    `family` is the distribution family the package manager implies (fedora, debian, alpine,
    suse), which picks a default base image when the Glance image is not in the table.
    `placeholders` maps each str_replace placeholder to its value at compile time (None when
    only known at deploy time); `hidden` names the placeholders whose value is a hidden parameter.
    """

    server: str
    source: Span
    steps: tuple[Step, ...] = ()
    family: str | None = None
    placeholders: dict[str, str | None] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)  # placeholder -> hidden parameter name
    # Placeholders only known at deploy time (not hidden parameters): their values, still calls.
    deploy_time: dict[str, Expr] = field(default_factory=dict)
    shell: str = "sh"  # the interpreter the script names (`bash` for `#!/bin/bash`)
    # Why the script could not be read at all (a parse error, a MIME message); empty when it was.
    unreadable: str = ""

    def of_kind(self, *kinds: str) -> list[Step]:
        return [s for s in self.steps if s.kind in kinds]

    @property
    def understood(self) -> int:
        """How many statements h2k understood (all but the unknown ones)."""
        return len(self.steps) - len(self.of_kind(UNKNOWN))

    @property
    def processes(self) -> list[Step]:
        return self.of_kind(PROCESS)

    def after_start(self) -> list[Step]:
        """Start-up steps the script ran after starting its service; the container runs them before it."""
        first = next((i for i, s in enumerate(self.steps) if s.kind == PROCESS), None)
        return [] if first is None else [s for s in self.steps[first + 1:] if s.kind == RUNTIME]

    @property
    def confident(self) -> bool:
        """Every statement understood, nothing that needs a VM, one process, and nothing to run after it.

        A placeholder known only at deploy time does not count against it: the start script reads it
        from an environment variable, fed like every other deploy-time value (a Service's name, the
        residual stack's outputs).
        """
        return (not self.unreadable and not self.of_kind(UNKNOWN, VM_ONLY) and len(self.processes) == 1
                and not self.after_start())

    def deploy_time_used(self) -> list[str]:
        """Deploy-time placeholders that the container needs (a signal's handle is not one)."""
        used = {p for s in self.steps if s.kind in (RUNTIME, CONFIG, PROCESS) for p in s.placeholders}
        return [p for p in self.deploy_time if p in used]

    def blockers(self) -> list[str]:
        """Why the analysis is not confident, one reason each, for the placement note."""
        reasons = []
        if self.unreadable:
            reasons.append(self.unreadable)
        vm_only = self.of_kind(VM_ONLY)
        if vm_only:
            reasons.append(f"line {vm_only[0].span.line} needs a virtual machine ({vm_only[0].note})")
        unknown = self.of_kind(UNKNOWN)
        if unknown:
            lines = ", ".join(str(s.span.line) for s in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
            reasons.append(f"line{'s' if len(unknown) > 1 else ''} {lines} not understood")
        count = len(self.processes)
        if not self.unreadable and count == 0:
            reasons.append("no long-running process is started")
        elif count > 1:
            reasons.append(f"{count} long-running processes are started; a container runs one")
        late = self.after_start()
        if late:
            reasons.append(f"line {late[0].span.line} runs after the service starts")
        return reasons
