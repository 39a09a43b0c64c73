"""One stack of a migration: compile it, and reduce the result to what the reports need.

This runs in a worker process, so it returns plain data (the output tree as bytes, the stack's
entry of migration-report.json, its graph drawn in Mermaid and SVG): the parent only gathers,
aggregates and writes. It never raises: a stack that h2k fails on is reported as failed (H2K931),
and the others go on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.migrate.plan import StackSpec
from h2k.span import Span

STATUSES = ("ok", "findings", "failed")
# Report statuses counted as carried over to Kubernetes (as benchmarks/coverage.py counts them):
# switched-off resources (OS::Heat::None) have nothing to carry.
COVERED = ("translated", "merged", "switched_off")
COUNTS = ("resources", "translated", "merged", "switched_off", "openstack", "no_counterpart", "not_translated",
          "disabled", "objects")


@dataclass
class Outcome:
    name: str
    # The stack's output tree (empty when nothing was compiled).
    files: dict[str, bytes] = field(default_factory=dict)
    entry: dict[str, Any] = field(default_factory=dict)
    mermaid: str = ""
    svg: str = ""
    # With a destination: what was written there (the files and the marker), or why it could not be.
    written: list[str] = field(default_factory=list)
    write_error: str | None = None


def run_stack(spec: StackSpec, base: str, fail_on: str, destination: str | None = None) -> Outcome:
    """One stack, compiled; its tree is also written to `destination` (a new directory) when given.

    Writing here, in the worker, lets the workers write at once rather than one after the other.
    """
    try:
        outcome = _run(spec, base, fail_on)
    except Exception as error:  # an h2k bug must not stop the other stacks
        return crashed(spec, base, fail_on, f"{type(error).__name__}: {error}")
    if destination is not None and outcome.files:
        from h2k.output.tree import build_part

        try:
            outcome.written = build_part(Path(destination), outcome.files)
        except OSError as error:
            outcome.write_error = f"cannot write {destination}: {error}"
    return outcome


def crashed(spec: StackSpec, base: str, fail_on: str, why: str) -> Outcome:
    sink = DiagnosticSink()
    sink.report("H2K931", f"h2k failed on this stack ({why}); compile it alone with `h2k --debug compile` for "
                "the details", Span.point(spec.template))
    return Outcome(spec.name, entry=_entry(spec, base, fail_on, sink.sorted(), None, None))


def _run(spec: StackSpec, base: str, fail_on: str) -> Outcome:
    from h2k.api import compile
    from h2k.report.graph import build, to_mermaid, to_svg

    sink = DiagnosticSink()
    for code, message, where in spec.problems:
        sink.report(code, message, Span.point(where))
    parameters = dict(spec.options.parameters)
    for name, path in spec.parameter_files:
        try:
            with open(path, encoding="utf-8") as handle:
                parameters[name] = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            sink.report("H2K932", f"cannot read the file of parameter {name}: {error}", Span.point(path))
    if sink.has_at_least(Severity.ERROR):
        return Outcome(spec.name, entry=_entry(spec, base, fail_on, sink.sorted(), None, None))
    result = compile(spec.template, replace(spec.options, parameters=parameters))
    diagnostics = sorted([*sink.items, *result.diagnostics], key=Diagnostic.sort_key)
    if result.stack is None or any(d.code.category == "io" for d in diagnostics):
        return Outcome(spec.name, entry=_entry(spec, base, fail_on, diagnostics, None, None))
    report = json.loads(result.files["h2k-report.json"])
    graph = build(result.stack, report)
    entry = _entry(spec, base, fail_on, diagnostics, report, graph.to_json())
    return Outcome(spec.name, result.files, entry, to_mermaid(graph), to_svg(graph, f"graph-{spec.name}",
                                                                             standalone=False))


def _entry(spec: StackSpec, base: str, fail_on: str, diagnostics: list[Diagnostic], report: dict[str, Any] | None,
           graph: dict[str, object] | None) -> dict[str, Any]:
    """The stack's entry of migration-report.json (docs/migrate.md)."""
    threshold = Severity.parse(fail_on)
    status = "failed" if report is None else "findings" if any(d.severity >= threshold for d in diagnostics) \
        else "ok"
    summary: dict[str, Any] = dict.fromkeys(COUNTS, 0)
    if report is not None:
        summary.update({key: report["summary"][key] for key in COUNTS})
    summary["on_kubernetes"] = summary["translated"] + summary["merged"]
    summary["covered"] = sum(summary[key] for key in COVERED)
    summary["accounted"] = summary["covered"] + summary["openstack"] + summary["no_counterpart"]
    summary["coverage"] = percent(summary["covered"], summary["resources"])
    summary["wiring"] = len(report["wiring"]) if report else 0
    summary["diagnostics"] = {s.label: sum(1 for d in diagnostics if d.severity == s) for s in reversed(Severity)}
    resources = [{"name": r["name"], "type": r["type"], "status": r["status"], "objects": r["objects"],
                  "nested_in": r["nested_in"], "codes": sorted({d["code"] for d in r["diagnostics"]})}
                 for r in (report["resources"] if report else [])]
    return {
        "name": spec.name,
        "origin": spec.origin,
        "template": spec.shown_template,
        "environment": list(spec.shown_environment),
        "adopt": list(spec.shown_adopt),
        # Names only: a value may be a secret.
        "parameters": sorted({*spec.options.parameters, *(name for name, _ in spec.parameter_files)}),
        "stack": report["stack"] if report else None,
        "kube_version": report["kube_version"] if report else None,
        "status": status,
        "output": f"stacks/{spec.name}" if report else None,
        "summary": summary,
        "resources": resources,
        "outputs": report["outputs"] if report else [],
        "wiring": report["wiring"] if report else [],
        "diagnostics": [{"code": d.code.id, "severity": d.severity.label, "message": d.message,
                         "file": _relative(d.span.file, base), "line": d.span.line, "column": d.span.column}
                        for d in diagnostics],
        "graph": graph,
    }


def percent(part: int, whole: int) -> float | None:
    """A share in percent with one decimal; None for an empty whole.

    >>> percent(1, 3), percent(0, 0)
    (33.3, None)
    """
    return round(100 * part / whole, 1) if whole else None


def _relative(path: str, base: str) -> str:
    if path.startswith("<"):  # "<command line: -P name>"
        return path
    try:
        return os.path.relpath(path, base).replace(os.sep, "/")
    except ValueError:
        return path
