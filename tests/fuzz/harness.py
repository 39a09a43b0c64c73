"""Run one fuzz case through the command line and check the invariants every input must keep.

Whatever the template, h2k answers with an exit code of 0, 1 or 2; every finding is coded and points
into a file; a refusal (exit 2) writes nothing; the same input gives byte-identical output twice;
and no case takes longer than CASE_TIMEOUT seconds. A broken invariant is returned as text, so a
campaign can collect them all and report each with the input that caused it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from h2k.cli import main

CASE_TIMEOUT = 10
TEMPLATE = "template.yaml"
CODE = re.compile(r"^H2K\d{3}$")
# One finding in the text format; anything else h2k prints on stderr must be this or its notes.
TEXT_LINE = re.compile(r"^.+:\d+:\d+: (error|warning|info): .* \[H2K\d{3}\]$")
INTERNAL = ("H2K901", "H2K902")
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "hot" / "web-with-volume.yaml"


@dataclass(frozen=True)
class Case:
    """A template, the files beside it (nested templates, environments) and the command-line inputs."""

    template: str
    files: dict[str, str] = field(default_factory=dict)
    environments: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()

    def write(self, directory: Path) -> Path:
        for name, text in {TEMPLATE: self.template, **self.files}.items():
            (directory / name).write_text(text, encoding="utf-8")
        return directory / TEMPLATE

    def inputs(self, directory: Path) -> list[str]:
        args = [a for e in self.environments for a in ("-e", str(directory / e))]
        return args + [a for p in self.parameters for a in ("-P", p)]


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in h2k swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (main thread only, as signals are)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def tree(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def diagnostics_problems(text: str, where: str) -> list[str]:
    """Each finding of the JSON format must carry a code, a severity and a position in a file."""
    try:
        document = json.loads(text) if text.strip() else {"diagnostics": []}
    except json.JSONDecodeError as error:
        return [f"{where}: diagnostics are not JSON ({error})"]
    problems = []
    for d in document["diagnostics"]:
        if not CODE.match(str(d.get("code"))) or d.get("code") in INTERNAL:
            problems.append(f"{where}: uncoded or internal finding {d}")
        if not d.get("file") or not isinstance(d.get("line"), int) or d["line"] < 1 or d.get("column", 0) < 1:
            problems.append(f"{where}: finding without a position {d}")
    return problems


def _severities(text: str) -> set[str]:
    try:
        return {d["severity"] for d in json.loads(text)["diagnostics"]} if text.strip() else set()
    except (json.JSONDecodeError, KeyError, TypeError):
        return set()


def _invoke(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process with --debug, so an internal error surfaces as its traceback."""
    runner = CliRunner()
    try:
        with time_limit(CASE_TIMEOUT):
            result = runner.invoke(main, ["--debug", *args], catch_exceptions=True)
    except CaseTimeout as error:
        return -1, "", f"timeout: {error}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        trace = "".join(traceback.format_exception(*result.exc_info))
        return -1, result.output, f"exception:\n{trace}"
    return result.exit_code, result.stdout, result.stderr


def check_case(case: Case) -> list[str]:
    """Every invariant, in-process: `check`, then `compile` twice into fresh directories."""
    work = Path(tempfile.mkdtemp(prefix="h2k-fuzz-"))
    try:
        return _check_case(case, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_case(case: Case, work: Path) -> list[str]:
    problems: list[str] = []
    template = case.write(work)
    code, out, err = _invoke(["check", str(template), "--format", "json"])
    if code not in (0, 1, 2):
        return [f"check: exit {code}: {err}"]
    problems += diagnostics_problems(out, "check")
    runs: list[tuple[int, str, dict[str, bytes]]] = []
    before: dict[str, bytes] = {}
    for n in (1, 2):
        output, report = work / f"out{n}", work / f"diagnostics{n}.json"
        if n == 2 and runs[0][0] == 2:  # a refusal must also leave an earlier output as it was
            _invoke(["compile", str(SAMPLE), "-o", str(output)])
            before = tree(output)
        code, out, err = _invoke(["compile", str(template), *case.inputs(work), "-o", str(output),
                                  "--diagnostics-format", "json", "--diagnostics-output", str(report)])
        if code not in (0, 1, 2):
            return [*problems, f"compile: exit {code}: {err}"]
        text = report.read_text(encoding="utf-8") if report.exists() else ""
        problems += diagnostics_problems(text, f"compile #{n}")
        if code == 2 and tree(output) != before:
            problems.append(f"compile #{n}: exit 2 but {output.name} was written")
        if code == 2 and "error" not in _severities(text):
            problems.append(f"compile #{n}: exit 2 without a coded error: {err.strip()[:300]}")
        if err.strip():
            problems.append(f"compile #{n}: uncoded message on stderr: {err.strip()[:300]}")
        runs.append((code, text, tree(output) if code != 2 else {}))
    if runs[0] != runs[1]:
        problems.append("compile is not deterministic: two runs differ")
    return problems


def check_case_subprocess(case: Case) -> list[str]:
    """The same contract as a user meets it: a fresh interpreter, the text format on stderr."""
    work = Path(tempfile.mkdtemp(prefix="h2k-fuzz-"))
    try:
        template = case.write(work)
        output = work / "out"
        try:
            result = subprocess.run([sys.executable, "-m", "h2k", "compile", str(template), *case.inputs(work),
                                     "-o", str(output)], capture_output=True, text=True,
                                    timeout=CASE_TIMEOUT + 5, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        except subprocess.TimeoutExpired:
            return ["subprocess: timeout"]
        problems = []
        if result.returncode not in (0, 1, 2):
            problems.append(f"subprocess: exit {result.returncode}")
        if "Traceback" in result.stderr or any(c in result.stderr for c in INTERNAL):
            problems.append(f"subprocess: internal error: {result.stderr[-500:]}")
        strays = [line for line in result.stderr.splitlines() if line and not TEXT_LINE.match(line)]
        if strays:
            problems.append(f"subprocess: stderr lines that are not coded findings: {strays[:3]}")
        if result.returncode == 2 and (output.exists() or ": error: " not in result.stderr):
            problems.append("subprocess: exit 2 wrote output or gave no coded error")
        return problems
    finally:
        shutil.rmtree(work, ignore_errors=True)


def describe(case: Case) -> str:
    """The case as a YAML entry of cases/fuzz_regressions.yaml, ready to paste."""
    import yaml

    entry: dict[str, object] = {"title": "TODO", "template": case.template}
    if case.files:
        entry["files"] = case.files
    if case.environments:
        entry["environments"] = list(case.environments)
    if case.parameters:
        entry["parameters"] = list(case.parameters)
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=120)
