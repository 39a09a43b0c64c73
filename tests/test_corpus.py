"""Sweep the third-party corpus: templates nobody on this project wrote must never crash h2k.

Every failure on such input has to be a coded diagnostic pointing into the file, the findings must
be stable run to run, and the command line must agree with the API. The corpus lives outside the
repository (`../shared/corpus`, or the directory named by H2K_CORPUS); without it the module skips.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from h2k.api import CompileOptions, check, compile
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic

REPO_ROOT = Path(__file__).resolve().parent.parent
ROLES = ("hot", "env", "embedded-hot")
INTERNAL_CODES = frozenset({"H2K901", "H2K902"})
CLI_BATCH = 100
CLI_TIMEOUT = 120


def corpus_root() -> tuple[Path | None, str]:
    """The corpus directory, or None and why it is missing (the reason the module skips with)."""
    configured = os.environ.get("H2K_CORPUS")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"
    if not root.is_dir():
        source = "H2K_CORPUS" if configured else "the default location"
        return None, f"template corpus not found at {root} ({source}); set H2K_CORPUS to sweep it"
    return root, ""


CORPUS, MISSING_REASON = corpus_root()
if CORPUS is None:
    pytest.skip(MISSING_REASON, allow_module_level=True)


@dataclass(frozen=True)
class CorpusFile:
    role: str
    path: Path

    @property
    def name(self) -> str:
        """The path relative to the corpus, short enough for a failure message."""
        assert CORPUS is not None
        return self.path.relative_to(CORPUS).as_posix()


def select(root: Path, roles: tuple[str, ...]) -> list[CorpusFile]:
    """Files of the given roles, from every folder's `_h2k_index.json`, in a stable order."""
    selected = []
    for index in sorted(root.glob("*/_h2k_index.json")):
        entries = json.loads(index.read_text(encoding="utf-8"))["files"]
        selected.extend(CorpusFile(e["role"], index.parent / e["path"])
                        for e in entries if e["role"] in roles)
    return sorted(selected, key=lambda f: f.path.as_posix())


SELECTED = select(CORPUS, ROLES)
HOT_FILES = [f for f in SELECTED if f.role == "hot"]


def diagnostic_key(d: Diagnostic) -> tuple[object, ...]:
    """Everything a user sees of a finding, comparable across runs."""
    s = d.span
    return (d.code.id, int(d.severity), d.message, s.file, s.line, s.column, s.end_line, s.end_column)


def sweep_check() -> dict[Path, list[Diagnostic] | str]:
    """`check()` on each selected file alone: its findings, or the exception it raised as text."""
    results: dict[Path, list[Diagnostic] | str] = {}
    for item in SELECTED:
        try:
            results[item.path] = check([str(item.path)])
        except Exception as error:
            results[item.path] = f"{type(error).__name__}: {error}"
    return results


@pytest.fixture(scope="module")
def check_results() -> dict[Path, list[Diagnostic] | str]:
    return sweep_check()


def report(title: str, failures: list[str]) -> None:
    """Fail with every problem listed (pytest would truncate a long assertion message)."""
    if failures:
        pytest.fail(f"{title}: {len(failures)} problem(s)\n" + "\n".join(failures), pytrace=False)


def test_selection(record_property: pytest.RecordProperty) -> None:
    """Every role is present and every indexed file exists, so a broken index cannot shrink the sweep."""
    counts = Counter(f.role for f in SELECTED)
    record_property("corpus_files", dict(sorted(counts.items())))
    assert all(counts[role] > 0 for role in ROLES), f"no files for some role: {dict(counts)}"
    report("indexed files missing", [f.name for f in SELECTED if not f.path.is_file()])


def test_check_never_crashes(check_results: dict[Path, list[Diagnostic] | str]) -> None:
    """No exception, no internal-error finding, and every finding points into the file checked."""
    failures = []
    for item in SELECTED:
        result = check_results[item.path]
        if isinstance(result, str):
            failures.append(f"{item.name}: raised {result}")
            continue
        for d in result:
            where = f"{item.name}:{d.span.line}:{d.span.column}"
            if d.code.id in INTERNAL_CODES:
                failures.append(f"{where}: internal {d.code.id}: {d.message}")
            if d.span.file != str(item.path):
                failures.append(f"{where}: {d.code.id} points at another file {d.span.file!r}")
            if d.span.line < 1 or d.span.column < 1:
                failures.append(f"{where}: {d.code.id} has a position that is not 1-based")
    report("check() on the corpus", failures)


def test_check_is_deterministic(check_results: dict[Path, list[Diagnostic] | str]) -> None:
    """A second run gives the same findings in the same order (output is diffed and cached by users)."""
    again = sweep_check()
    failures = []
    for item in SELECTED:
        first, second = check_results[item.path], again[item.path]
        if isinstance(first, str) or isinstance(second, str):
            if first != second:
                failures.append(f"{item.name}: {first!r} then {second!r}")
        elif [diagnostic_key(d) for d in first] != [diagnostic_key(d) for d in second]:
            failures.append(f"{item.name}: findings differ between two runs")
    report("check() is not deterministic", failures)


def test_cli_check_exit_codes(check_results: dict[Path, list[Diagnostic] | str]) -> None:
    """The installed command line on every file, in batches: exit 0 or 1 and no traceback.

    The exit code must also match what the API found: 1 exactly when some finding is an error.
    """
    failures = []
    for start in range(0, len(SELECTED), CLI_BATCH):
        batch = SELECTED[start:start + CLI_BATCH]
        label = f"batch {start // CLI_BATCH + 1} ({batch[0].name} .. {batch[-1].name})"
        run = subprocess.run([sys.executable, "-m", "h2k", "check", *(str(f.path) for f in batch)],
                             capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=REPO_ROOT, check=False)
        output = run.stdout + run.stderr
        if run.returncode not in (0, 1):
            failures.append(f"{label}: exit {run.returncode}:\n{output.strip()[-2000:]}")
        if "Traceback" in run.stderr or "internal error" in output or "[H2K901]" in output:
            failures.append(f"{label}: internal error:\n{run.stderr.strip()[-2000:]}")
        results = [check_results[f.path] for f in batch]
        if all(isinstance(r, list) for r in results):
            errors = any(d.severity >= Severity.ERROR for r in results for d in r)  # type: ignore[union-attr]
            if run.returncode in (0, 1) and run.returncode != int(errors):
                failures.append(f"{label}: exit {run.returncode} but the API found "
                                f"{'errors' if errors else 'no errors'}")
    report("h2k check on the corpus", failures)


def test_compile_hot_templates() -> None:
    """Every HOT template compiles without an exception and without an invalid emitted object."""
    failures = []
    for item in HOT_FILES:
        failures += compile_failures(item.name, item.path, CompileOptions())
    report("compile() on the corpus HOT templates", failures)


def compile_failures(label: str, path: Path, options: CompileOptions) -> list[str]:
    """What went wrong compiling one template: an exception, or diagnostics of internal failures."""
    try:
        result = compile(path, options)
    except Exception as error:
        return [f"{label}: raised {type(error).__name__}: {error}"]
    return [f"{label}: {d.span.file}:{d.span.line}:{d.span.column}: {d.code.id}: {d.message}"
            for d in result.diagnostics if d.code.id in INTERNAL_CODES]


def environment_pairs() -> list[tuple[CorpusFile, CorpusFile]]:
    """Each environment file with the templates it is written for: `x_env.yaml` beside `x.yaml`, and
    otherwise every template in its folder and the folders below that uses a type it maps."""
    assert CORPUS is not None
    pairs = []
    templates = select(CORPUS, ("hot",))
    for env in select(CORPUS, ("env",)):
        twin = env.path.with_name(env.path.name.replace("_env.yaml", ".yaml"))
        mapped = yaml_keys(env.path)
        for template in templates:
            if template.path == twin or (template.path.is_relative_to(env.path.parent.parent)
                                         and uses_any(template.path, mapped)):
                pairs.append((template, env))
    return pairs


def uses_any(template: Path, types: list[str]) -> bool:
    text = template.read_text(encoding="utf-8", errors="replace")
    return any(f"type: {name}" in text for name in types)


def yaml_keys(path: Path) -> list[str]:
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return []
    registry = document.get("resource_registry") if isinstance(document, dict) else None
    return [str(k) for k in registry if k != "resources"] if isinstance(registry, dict) else []


def test_compile_with_environments(record_property: pytest.RecordProperty) -> None:
    """Templates compiled with their environment files (registries, provider templates): no crash and
    no internal error or invalid emitted object."""
    pairs = environment_pairs()
    record_property("environment pairs", len(pairs))
    assert len(pairs) >= 10
    failures = []
    for template, env in pairs:
        options = CompileOptions(environment_files=[str(env.path)], files_root=str(CORPUS))
        failures += compile_failures(f"{template.name} -e {env.name}", template.path, options)
    report("compile() with environment files", failures)


KUBEVIRT_FOLDER = "openstack+heat-templates/hot/"


def test_compile_hot_templates_on_kubevirt(record_property: pytest.RecordProperty) -> None:
    """Every template of the heat-templates collection with `--servers kubevirt` (and its `_env.yaml` when it has
    one): no crash, and every VirtualMachine, DataVolume and other object valid against its schema."""
    assert CORPUS is not None
    templates = [f for f in HOT_FILES if f.name.startswith(KUBEVIRT_FOLDER)]
    assert len(templates) >= 50
    failures, machines = [], 0
    for item in templates:
        twin = item.path.with_name(f"{item.path.stem}_env.yaml")
        options = CompileOptions(servers="kubevirt", environment_files=[str(twin)] if twin.is_file() else [],
                                 files_root=str(CORPUS))
        try:
            result = compile(item.path, options)
        except Exception as error:
            failures.append(f"{item.name}: raised {type(error).__name__}: {error}")
            continue
        failures += [f"{item.name}:{d.span.line}:{d.span.column}: {d.code.id}: {d.message}"
                     for d in result.diagnostics if d.code.id in INTERNAL_CODES]
        machines += sum(1 for o in result.objects if o.kind == "VirtualMachine")
    record_property("virtual machines", machines)
    assert machines >= 50
    report("compile() --servers kubevirt on the heat-templates collection", failures)
