"""`h2k hint`: compile, find what was missing, and put placeholders for it into the template files.

A resource defined in a nested template gets its placeholder in that file (its span's file), so
every stack using the file sees it. Nothing is written before every file's edit has been checked
(insert.py loads the result again); a file is replaced whole and atomically, with its byte-order
mark, newlines and permissions as they were.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.hint.insert import Site, insert_entries
from h2k.hint.needs import Need, find_needs, local_name
from h2k.hint.placeholder import KEYS, make
from h2k.ir.nodes import Resource
from h2k.source.detect import Kind, detect
from h2k.source.loader import load_text

if TYPE_CHECKING:
    from h2k.api import CompileOptions

_MEMBER_KEYS = {"OS::Heat::ResourceGroup": "resource_def", "OS::Heat::AutoScalingGroup": "resource"}


@dataclass(frozen=True)
class Placed:
    """A placeholder written: where (the resource's definition, before the edit), which key, what for."""

    file: str
    line: int
    column: int
    resource: str
    key: str
    value: str
    codes: tuple[str, ...]


@dataclass
class HintResult:
    # False when the template did not compile far enough to say what it needs (see `diagnostics`).
    compiled: bool
    # The compile's findings when it stopped; otherwise what could not be written (H2K941).
    diagnostics: list[Diagnostic] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)
    # File -> (its bytes, its bytes with the placeholders), for the files that change.
    changes: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)


def hint(template: str | Path, options: CompileOptions | None = None) -> HintResult:
    """Compile `template` and plan the placeholders; nothing is written (see `write`)."""
    from h2k.api import compile as run_compile

    compiled = run_compile(template, options)
    if compiled.stack is None or any(d.code.category == "io" for d in compiled.diagnostics):
        return HintResult(False, compiled.diagnostics)
    sink = DiagnosticSink()
    wanted: dict[str, dict[Site, list[Need]]] = {}
    for need in find_needs(compiled.stack, compiled.diagnostics):
        if need.unwritable is not None:
            _refuse(sink, need, need.unwritable)
            continue
        site = _site(need.resource)
        if isinstance(site, str):
            _refuse(sink, need, site)
            continue
        wanted.setdefault(need.resource.span.file, {}).setdefault(site, []).append(need)
    result = HintResult(True)
    for path, sites in wanted.items():
        _plan_file(path, sites, result, sink)
    result.diagnostics = sink.sorted()
    return result


def _site(resource: Resource) -> Site | str:
    """Where the resource's metadata is written, or why it has no place of its own."""
    if not Path(resource.span.file).is_file():
        return "it is defined in an inline template (the `template` property of an OS::Heat::Stack), a string"
    replication = resource.replication
    if replication is not None and replication.span == resource.span and replication.group_type in _MEMBER_KEYS:
        return Site(local_name(resource), _MEMBER_KEYS[replication.group_type])
    return Site(local_name(resource))


def _plan_file(path: str, sites: dict[Site, list[Need]], result: HintResult, sink: DiagnosticSink) -> None:
    try:
        data = Path(path).read_bytes()
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        for needs in sites.values():
            for need in needs:
                _refuse(sink, need, f"{path} cannot be read ({error})")
        return
    root = load_text(text, path, DiagnosticSink())
    if root is None or detect(root) is not Kind.HOT:
        for needs in sites.values():
            for need in needs:
                _refuse(sink, need, f"{path} is not a HOT template")
        return
    wanted = {site: _entries(needs) for site, needs in sites.items()}
    inserted = insert_entries(text, root, path, wanted)
    for site, reason in inserted.refused.items():
        for need in sites[site]:
            _refuse(sink, need, reason)
    for site, entries in inserted.added.items():
        first = sites[site][0].resource
        for key, value in entries.items():
            codes = tuple(dict.fromkeys(c for n in sites[site] if n.key == key for c in n.codes))
            result.placed.append(Placed(path, first.span.line, first.span.column, site.name, key, value, codes))
    if inserted.text != text:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        result.changes[path] = (data, bom + inserted.text.encode("utf-8"))


def _entries(needs: list[Need]) -> dict[str, str]:
    """Key -> placeholder; a nested file shared by several stacks may be asked one key for several reasons."""
    texts: dict[str, list[str]] = {}
    for need in needs:
        known = texts.setdefault(need.key, [])
        if need.text not in known:
            known.append(need.text)
    return {key: make("; ".join(texts[key])) for key in KEYS if key in texts}


def _refuse(sink: DiagnosticSink, need: Need, reason: str) -> None:
    sink.report("H2K941", f"h2k hint cannot add metadata {need.key} to {local_name(need.resource)}: {reason}; add it "
                f"by hand (it answers {', '.join(need.codes)})", need.resource.span)


def shown(path: str) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def diff(result: HintResult) -> str:
    """The changes as one unified diff (`--dry-run`)."""
    chunks = []
    for path, (before, after) in result.changes.items():
        name = shown(path).replace(os.sep, "/")
        old, new = (name, name) if os.path.isabs(name) else (f"a/{name}", f"b/{name}")
        lines = difflib.unified_diff(_lines(before), _lines(after), old, new)
        chunks.append("".join(lines))
    return "".join(chunks)


def _lines(data: bytes) -> list[str]:
    lines = data.decode("utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def write(result: HintResult) -> None:
    """Replace each changed file atomically (a temporary file beside it, then a rename)."""
    for path, (before, after) in result.changes.items():
        target = Path(path)
        if target.read_bytes() != before:
            raise OSError(f"{path} changed while h2k hint ran; nothing was written to it")
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(after)
            os.chmod(temporary, target.stat().st_mode & 0o7777)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
