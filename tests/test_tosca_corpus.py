"""Sweep the TOSCA templates and CSARs of tosca-parser's and heat-translator's own test data.

Nobody on this project wrote them, and many are invalid on purpose. Every one must compile without a
crash or an internal error, every finding must point into a file (line >= 1), every Kubernetes object
emitted must validate (the compile validates: no H2K902), and nothing may touch the network, although
some import URLs. The corpus lives outside the repository (`../shared/corpus`, or H2K_CORPUS); without
it the module skips.
"""

from __future__ import annotations

import json
import os
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from h2k.api import CompileOptions, check, compile

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("H2K_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
FOLDERS = ("openstack+tosca-parser", "openstack+heat-translator")
ROLES = ("tosca", "csar", "embedded-tosca")
INTERNAL = frozenset({"H2K901", "H2K902"})

if not all((CORPUS / folder / "_h2k_index.json").is_file() for folder in FOLDERS):
    pytest.skip(f"TOSCA corpus not found under {CORPUS}; set H2K_CORPUS to sweep it", allow_module_level=True)


def corpus_files() -> list[tuple[Path, Path]]:
    """(file, the folder its imports and scripts may be read from), for every TOSCA file and CSAR."""
    found = []
    for folder in FOLDERS:
        index = json.loads((CORPUS / folder / "_h2k_index.json").read_text(encoding="utf-8"))
        root = CORPUS / folder / "samples" / "tests" / "data"
        found += [(CORPUS / folder / entry["path"], root) for entry in index["files"] if entry["role"] in ROLES]
    return sorted(found)


FILES = corpus_files()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to resolve or connect is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args: Any, **_kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_corpus_is_there() -> None:
    roles = Counter(path.suffix for path, _ in FILES)
    assert len(FILES) >= 250 and roles[".zip"] + roles[".csar"] >= 30, roles


def test_every_file_compiles_without_a_crash(no_network: list[str], record_property: pytest.RecordProperty) -> None:
    problems: list[str] = []
    counts: Counter[str] = Counter()
    for path, root in FILES:
        name = path.relative_to(CORPUS).as_posix()
        # As it comes (servers without a container image stay virtual machines), then with every server a
        # Deployment, so that every workload is emitted and validated.
        for servers in (None, "container"):
            try:
                result = compile(path, CompileOptions(files_root=str(root), servers=servers))
            except Exception as error:  # the point of the sweep: report every crash, not the first
                problems.append(f"{name}: {type(error).__name__}: {error}")
                counts["crashed"] += 1
                continue
            if servers is None:
                counts["with errors (coded)" if result.failed() else "compiled"] += 1
            else:
                counts["Kubernetes objects (--servers container)"] += len(result.objects)
            for diagnostic in result.diagnostics:
                if diagnostic.code.id in INTERNAL or diagnostic.span.line < 1:
                    problems.append(f"{name}: {diagnostic}")
            if result.failed() and not any(d.severity.label == "error" and d.span.line >= 1
                                            for d in result.diagnostics):
                problems.append(f"{name}: fails without an error that has a position")
    record_property("tosca_corpus", dict(counts))
    assert not problems, "\n".join(problems)
    assert no_network == []
    assert counts["crashed"] == 0 and counts["compiled"] >= 150, counts
    assert counts["Kubernetes objects (--servers container)"] >= 150, counts


def test_invalid_templates_are_refused_with_positions(no_network: list[str]) -> None:
    """tosca-parser's files made invalid on purpose (named so) give an error that points into the template.
    (heat-translator's `invalid` files are invalid for its translation only, and are translated.)"""
    invalid = [(p, r) for p, r in FILES if any(word in p.name for word in ("invalid", "_error", "unknown_"))
               and "valid_output" not in p.name and "openstack+tosca-parser" in p.parts]
    assert len(invalid) >= 20
    quiet = []
    for path, root in invalid:
        result = compile(path, CompileOptions(files_root=str(root)))
        errors = [d for d in result.diagnostics if d.severity.label == "error"]
        if not errors or any(d.span.line < 1 for d in errors):
            quiet.append(f"{path.relative_to(CORPUS)}: {[str(d) for d in result.diagnostics][:3]}")
    assert not quiet, "\n".join(quiet)
    assert no_network == []


def test_check_reads_tosca(no_network: list[str]) -> None:
    """`h2k check` runs the TOSCA front-end too: same refusals, no crash."""
    paths = [str(p) for p, _ in FILES if p.suffix in (".yaml", ".yml")]
    findings = check(paths)
    assert not [d for d in findings if d.code.id in INTERNAL]
    assert any(d.code.id == "H2K703" for d in findings)  # the URL imports
    assert no_network == []


def test_compiles_are_stable() -> None:
    """The same findings and objects, run to run (positions are recovered by search, so check it)."""
    sample = FILES[::10]
    for path, root in sample:
        first = compile(path, CompileOptions(files_root=str(root)))
        second = compile(path, CompileOptions(files_root=str(root)))
        assert [str(d) for d in first.diagnostics] == [str(d) for d in second.diagnostics], path
        assert [o.object for o in first.objects] == [o.object for o in second.objects], path
