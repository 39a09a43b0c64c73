"""Imports are checked before tosca-parser sees the template: h2k never fetches anything.

tosca-parser downloads URL imports and repository-relative imports with urllib. Those are
refused here with their position, as are imports that reach outside the template's directory
(the same rule as HOT's `get_file`), and local imports are followed to check theirs too (only
their `imports` is read, import_scan.py).
"""

from __future__ import annotations

from pathlib import Path

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.tosca.import_scan import imports_of
from h2k.source.limits import Limits
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

_MAX_IMPORTS = 200  # a template importing more files than this is refused, not followed


def imports_are_local(root: YMap, path: Path, base: Path, sink: DiagnosticSink, limits: Limits) -> bool:
    """True when every import, followed transitively, is a file under `base`; refusals are reported."""
    seen: set[Path] = {path.resolve()}
    pending: list[tuple[Node | None, Path]] = [(root.get("imports"), path)]
    ok = True
    while pending:
        node, where = pending.pop()
        for target, span in _import_files(node, sink):
            if target is None:
                ok = False
                continue
            resolved = (where.parent / target).resolve()
            if Path(target).is_absolute() or not resolved.is_relative_to(base.resolve()):
                sink.report("H2K703", f"import {target!r} is outside the template's directory (see --files-root); it "
                            "is not read", span)
                ok = False
                continue
            # tosca-parser tries a relative import from the working directory first: that must be the same file.
            if Path(target).is_file() and Path(target).resolve() != resolved:
                sink.report("H2K703", f"import {target!r} names a file of the working directory, which tosca-parser "
                            "would read instead of the one beside the template; it is not read", span)
                ok = False
                continue
            if resolved in seen or not resolved.is_file():
                continue  # a missing file is tosca-parser's finding
            seen.add(resolved)
            if len(seen) > _MAX_IMPORTS:
                sink.report("H2K703", f"more than {_MAX_IMPORTS} imported files; the imports are not followed", span)
                return False
            pending.append((imports_of(str(resolved), limits), resolved))
    return ok


def _import_files(node: Node | None, sink: DiagnosticSink) -> list[tuple[str | None, Span]]:
    """Each import's file name and position; None for a remote one (reported)."""
    if not isinstance(node, YSeq):
        return []
    found: list[tuple[str | None, Span]] = []
    for item in node.items:
        file, repository, span = _definition(item)
        if file is None:
            continue  # a malformed import definition is tosca-parser's finding
        if repository is not None:
            sink.report("H2K703", f"import {file!r} comes from repository {repository!r}; h2k does not download "
                        "imports: copy the file beside the template", span)
            found.append((None, span))
        elif "://" in file:
            sink.report("H2K703", f"import {file!r} is a URL; h2k does not download imports: copy the file beside "
                        "the template", span)
            found.append((None, span))
        else:
            found.append((file, span))
    return found


def _definition(item: Node) -> tuple[str | None, str | None, Span]:
    """An import written as `file`, `{file, repository}` or `{name: {file, repository}}`."""
    if isinstance(item, YScalar):
        return (item.value, None, item.span) if isinstance(item.value, str) else (None, None, item.span)
    if not isinstance(item, YMap):
        return None, None, item.span
    if "file" not in item and len(item) == 1:
        inner = item.entries[0][1]
        if isinstance(inner, YScalar):
            return (inner.value, None, inner.span) if isinstance(inner.value, str) else (None, None, inner.span)
        if isinstance(inner, YMap):
            item = inner
    file = item.get("file")
    repository = item.get("repository")
    if not isinstance(file, YScalar) or not isinstance(file.value, str):
        return None, None, item.span
    named = repository.value if isinstance(repository, YScalar) and repository.value else None
    return file.value, str(named) if named is not None else None, file.span
