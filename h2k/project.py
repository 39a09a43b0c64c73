"""`h2k compile --all`: every stack a config file declares (`stacks:`), compiled, then written or checked.

The config is found as for one template, starting from the working directory (or given with
`--config`). For each stack, the command line wins over the stack's entry, which wins over the
config's top level. An output tree is rewritten only when its content changed, and the changed
files are returned, so the pre-commit hook can fail like a formatter: it updates the files, says
which, and passes on the next run. Nothing here prints; the CLI does.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from h2k.config import Config, StackEntry, load_config
from h2k.config_files import find_config
from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.source.limits import Limits


@dataclass(frozen=True)
class Overrides:
    """What the command line sets for every stack; None leaves it to the entry, then the config."""

    package: str | None = None
    format: str | None = None
    namespace: str | None = None
    kube_version: str | None = None
    infra: str | None = None
    servers: str | None = None
    files_root: str | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass
class StackRun:
    entry: StackEntry
    diagnostics: list[Diagnostic]
    # False when nothing could be compiled (refused input): the output was left alone.
    compiled: bool
    # Files of the output tree (paths joined to the output directory) that changed: rewritten, or
    # stale when only checking.
    changed: list[str] = field(default_factory=list)
    # When only checking: the unified diff of the stale files.
    diff: str = ""
    # The output directory could not be read or replaced (not h2k's, a file, ...).
    error: str | None = None


@dataclass
class ProjectRun:
    # The config file used, None when none was found.
    config_path: Path | None
    # None when the file is invalid (its findings are in `diagnostics`).
    config: Config | None
    # Findings about the config file itself.
    diagnostics: list[Diagnostic]
    stacks: list[StackRun]


def run_stacks(explicit: Path | None, overrides: Overrides, check: bool) -> ProjectRun:
    """Compile each declared stack, in order; write the outputs that changed, or only compare (`check`)."""
    sink = DiagnosticSink()
    path = explicit or find_config(Path("."), sink)
    if path is None:
        return ProjectRun(None, None, sink.sorted(), [])
    config = load_config(path, sink)
    if config is None:
        return ProjectRun(path, None, sink.sorted(), [])
    return ProjectRun(path, config, sink.sorted(), [_run(entry, path, overrides, check) for entry in config.stacks])


def _run(entry: StackEntry, config_path: Path, overrides: Overrides, check: bool) -> StackRun:
    from h2k.api import CompileOptions, compile
    from h2k.output.tree import MARKER, OutputDirError, changed_files, diff_tree, update_tree

    sink = DiagnosticSink()
    parameters = dict(entry.parameters)
    for name, file in entry.parameter_files.items():
        try:
            parameters[name] = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            sink.report("H2K009", f"cannot read {file}, the value of parameter {name} of {entry.template}: {error}",
                        entry.span)
    if sink.items:
        return StackRun(entry, sink.sorted(), compiled=False)
    options = CompileOptions(
        parameters=parameters, stack_name=entry.stack_name, namespace=overrides.namespace or entry.namespace,
        kube_version=overrides.kube_version, servers=overrides.servers or entry.servers,
        adopt=[Path(p) for p in entry.adopt], infra=overrides.infra or entry.infra,
        package=overrides.package or entry.package, format=overrides.format or entry.format, config=config_path,
        environment_files=list(entry.environment), files_root=overrides.files_root, limits=overrides.limits)
    result = compile(entry.template, options)
    if result.stack is None or any(d.code.category == "io" for d in result.diagnostics):
        return StackRun(entry, result.diagnostics, compiled=False)
    out = Path(entry.output)
    try:
        if check:
            changed, diff = changed_files(out, result.files), diff_tree(out, result.files)
        else:
            changed, diff = update_tree(out, result.files), ""
    except (OutputDirError, OSError) as error:
        return StackRun(entry, result.diagnostics, compiled=True, error=str(error))
    # The marker lists the files, so it changes whenever one comes or goes: not worth a line of its own.
    listed = [rel for rel in changed if rel != MARKER] or changed
    shown = [posixpath.join(Path(entry.output).as_posix(), rel) for rel in listed]
    return StackRun(entry, result.diagnostics, compiled=True, changed=shown, diff=diff)
