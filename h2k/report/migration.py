"""The report written beside the manifests: every resource, what it became, and every finding.

Paths are shown relative to the template's directory so the report is the same bytes wherever
h2k runs from.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from h2k.backends.kubernetes.emit import Emitted
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic
from h2k.ir.links import reads_only_infrastructure
from h2k.ir.nodes import Output, Stack
from h2k.span import Span

if TYPE_CHECKING:
    from h2k.backends.kubernetes.wiring import Wire

FORMAT = "h2k-report"
VERSION = 1


# Findings that say a resource deliberately has no object: it only makes sense for a virtual
# machine, or it is a software deployment that does not run in the pods.
NO_COUNTERPART = frozenset({"H2K411", "H2K412", "H2K413"})


@dataclass(frozen=True)
class ReportInput:
    stack: Stack
    emitted: list[Emitted]
    diagnostics: list[Diagnostic]
    kube_version: str
    base_dir: str
    # Values the workload reads from what stays on OpenStack (backends/kubernetes/wiring.py).
    wires: list[Wire] = field(default_factory=list)
    # With --infra orc: resource name -> the k-orc object that stands for it.
    orc_objects: dict[str, str] = field(default_factory=dict)
    # Servers whose image was built from their boot script (backends/kubernetes/built_image.py).
    built_images: list[str] = field(default_factory=list)


def _relative(path: str, base_dir: str) -> str:
    try:
        return os.path.relpath(path, base_dir).replace(os.sep, "/")
    except ValueError:
        return os.path.basename(path)


class _Owners:
    """The resource whose definition holds a position: the first in stack order whose span contains it.

    Asking every resource for every diagnostic made the report quadratic (most of a 10,000-resource
    compile); here the spans of each file are sorted by where they start, and only those that start
    at or before the position and reach past it are looked at.
    """

    def __init__(self, stack: Stack) -> None:
        first: dict[Span, tuple[int, str]] = {}
        for index, resource in enumerate(stack.resources):
            first.setdefault(resource.span, (index, resource.name))  # equal spans: the first resource
        by_file: dict[str, list[tuple[Span, int, str]]] = {}
        for span, (index, name) in first.items():
            by_file.setdefault(span.file, []).append((span, index, name))
        self._files: dict[str, tuple[list[tuple[Span, int, str]], list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for file, spans in by_file.items():
            spans.sort(key=lambda item: (item[0].line, item[0].column))
            starts = [(span.line, span.column) for span, _, _ in spans]
            # reach[i]: the furthest end among spans[0..i]; nothing at or before i contains a
            # position at or past it.
            reach = list(itertools.accumulate(((span.end_line, span.end_column) for span, _, _ in spans), max))
            self._files[file] = (spans, starts, reach)

    def owner(self, span: Span) -> str | None:
        found = self._files.get(span.file)
        if found is None:
            return None
        spans, starts, reach = found
        point = (span.line, span.column)
        best: tuple[int, str] | None = None
        at = bisect.bisect_right(starts, point) - 1
        while at >= 0 and reach[at] > point:
            candidate, index, name = spans[at]
            if candidate.contains(span) and (best is None or index < best[0]):
                best = (index, name)
            at -= 1
        return best[1] if best is not None else None


def _static(output: Output) -> bool:
    from h2k.ir.expr import is_known, to_data

    return is_known(output.value) and to_data(output.value) is not None


def build(data: ReportInput) -> dict[str, object]:
    stack = data.stack
    objects: dict[str, list[str]] = {}
    for item in data.emitted:
        if item.resource is not None:
            objects.setdefault(item.resource.name, []).append(f"{item.kind}/{item.name}")
    owned: dict[str | None, list[Diagnostic]] = {}
    owners = _Owners(stack)
    for diagnostic in data.diagnostics:
        owned.setdefault(owners.owner(diagnostic.span), []).append(diagnostic)

    def entry(d: Diagnostic) -> dict[str, object]:
        return {"code": d.code.id, "severity": d.severity.label, "message": d.message,
                "file": _relative(d.span.file, data.base_dir), "line": d.span.line, "column": d.span.column}

    resources = []
    for resource in stack.resources:
        became = objects.get(resource.name, [])
        codes = {d.code.id for d in owned.get(resource.name, [])}
        if became:
            status = "translated"
        elif resource.role == "infrastructure":
            status = "openstack"
        elif "H2K301" in codes:
            status = "not-translated"
        elif codes & NO_COUNTERPART:
            status = "no-counterpart"
        elif resource.role == "none":
            status = "switched-off"
        else:
            status = "merged" if resource.role else "not-translated"
        resources.append({"name": resource.name, "type": resource.type, "role": resource.role or None,
                          "status": status, "nested_in": list(resource.nested_in), "objects": became,
                          "diagnostics": [entry(d) for d in owned.get(resource.name, [])]})
    for resource in stack.disabled:
        resources.append({"name": resource.name, "type": resource.type, "role": None, "status": "disabled",
                          "nested_in": list(resource.nested_in), "objects": [],
                          "diagnostics": [entry(d) for d in owned.get(resource.name, [])]})
    counts = {s.label: sum(1 for d in data.diagnostics if d.severity == s) for s in reversed(Severity)}
    holder = next((f"{e.kind}/{e.name}" for e in data.emitted if e.resource is None and e.kind == "ConfigMap"
                   and str(e.object["metadata"]["annotations"].get("h2k.io/source", "")).endswith("#outputs")), None)
    outputs = [{"name": o.name, "object": holder if _static(o) else None,
                "openstack": "openstack/infra.yaml" if reads_only_infrastructure(o.value, stack) else None}
               for o in stack.outputs]
    return {
        "format": FORMAT,
        "version": VERSION,
        "template": _relative(stack.path, data.base_dir),
        "stack": stack.name,
        "kube_version": data.kube_version,
        "summary": {
            "resources": len(stack.resources) + len(stack.disabled),
            "translated": sum(1 for r in resources if r["status"] == "translated"),
            "merged": sum(1 for r in resources if r["status"] == "merged"),
            "not_translated": sum(1 for r in resources if r["status"] == "not-translated"),
            "no_counterpart": sum(1 for r in resources if r["status"] == "no-counterpart"),
            "openstack": sum(1 for r in resources if r["status"] == "openstack"),
            "switched_off": sum(1 for r in resources if r["status"] == "switched-off"),
            "disabled": len(stack.disabled),
            "objects": len(data.emitted),
            "diagnostics": counts,
        },
        "resources": resources,
        "outputs": outputs,
        "wiring": _wiring(data),
        "images": _images(data),
        "diagnostics": [entry(d) for d in data.diagnostics],
    }


def _images(data: ReportInput) -> list[dict[str, object]]:
    """One entry per image built from a boot script: how much of the script h2k understood."""
    entries = []
    for name in data.built_images:
        resource = data.stack.resource(name)
        recipe = resource.recipe if resource is not None else None
        if resource is None or recipe is None:
            continue
        entries.append({"server": name, "folder": f"images/{resource.object_name}",
                        "statements": len(recipe.steps), "understood": recipe.understood,
                        "confident": recipe.confident, "reasons": recipe.blockers()})
    return entries


def _wiring(data: ReportInput) -> list[dict[str, object]]:
    """One entry per key `h2k bind` fills: where its value comes from and who reads it."""
    entries: dict[str, dict[str, object]] = {}
    for wire in data.wires:
        orc = data.orc_objects.get(wire.source.name)
        entry = entries.setdefault(wire.key, {
            "key": wire.key, "object": f"{'Secret' if wire.sensitive else 'ConfigMap'}/{wire.object_name}",
            # From a k-orc object, the value is in its status; `h2k bind` fills only residual-stack outputs.
            "output": None if orc else wire.key, "stack": f"k-orc {orc} (status.resource)" if orc
            else "openstack/infra.yaml", "resource": wire.source.name, "attribute": wire.attribute,
            "consumers": []})
        consumers = entry["consumers"]
        assert isinstance(consumers, list)
        consumers.append({"resource": wire.consumer.name, "variable": wire.variable})
    return list(entries.values())


_STATUS_TEXT = {
    "merged": "merged into other objects",
    "switched-off": "nothing (OS::Heat::None)",
    "disabled": "nothing (its condition is false)",
    "not-translated": "**not translated**",
    "no-counterpart": "nothing: no Kubernetes counterpart (see its findings)",
    "openstack": "stays on OpenStack",
}


def to_json(report: dict[str, object]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def to_markdown(report: dict[str, object]) -> str:
    summary = report["summary"]
    assert isinstance(summary, dict)
    counts = summary["diagnostics"]
    lines = [
        f"# h2k report: {report['template']}",
        "",
        f"Stack `{report['stack']}`, Kubernetes {report['kube_version']}: {summary['resources']} resources, "
        f"{summary['translated']} translated, {summary['merged']} merged into other objects, "
        f"{summary['openstack']} staying on OpenStack, {summary['not_translated']} not translated, "
        f"{summary['no_counterpart']} without a Kubernetes counterpart, {summary['switched_off']} switched off, "
        f"{summary['disabled']} disabled by conditions; {summary['objects']} objects written. "
        f"Findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes.",
        "",
        "| resource | type | became | findings |",
        "|---|---|---|---|",
    ]
    for resource in report["resources"]:  # type: ignore[attr-defined]
        became = ", ".join(f"`{o}`" for o in resource["objects"]) or _STATUS_TEXT[resource["status"]]
        codes = ", ".join(sorted({d["code"] for d in resource["diagnostics"]})) or "-"
        lines.append(f"| `{resource['name']}` | `{resource['type']}` | {became} | {codes} |")
    outputs = report.get("outputs") or []
    if outputs:
        lines += ["", "## Outputs", "", "| output | where its value is |", "|---|---|"]
        for output in outputs:  # type: ignore[attr-defined]
            where = f"`{output['object']}`, key `{output['name']}`" if output["object"] else \
                f"an output of `{output['openstack']}`" if output.get("openstack") else "only known at deploy time"
            lines.append(f"| `{output['name']}` | {where} |")
    wiring = report.get("wiring") or []
    if wiring:
        lines += ["", "## Wiring", "", "Fill these keys after creating the residual stack: "
                  "`openstack stack output show <stack> --all -f json > outputs.json`, then "
                  "`h2k bind <this directory> --stack-outputs outputs.json`.", "",
                  "| key | in | from | read by |", "|---|---|---|---|"]
        for wire in wiring:  # type: ignore[attr-defined]
            readers = ", ".join(f"`{c['resource']}` (`{c['variable']}`)" for c in wire["consumers"])
            origin = f"output `{wire['output']}` of `{wire['stack']}`" if wire["output"] else f"`{wire['stack']}`"
            lines.append(f"| `{wire['key']}` | `{wire['object']}` | {origin} (`{wire['resource']}` "
                         f"{wire['attribute']}) | {readers} |")
    images = report.get("images") or []
    if images:
        lines += ["", "## Images", "", "Built from boot scripts; build and push each before applying "
                  "(docs/images.md). Each folder's `analysis.md` says what every line became.", "",
                  "| server | recipe | understood | confident |", "|---|---|---|---|"]
        for image in images:  # type: ignore[attr-defined]
            verdict = "yes" if image["confident"] else "no: " + "; ".join(image["reasons"])
            lines.append(f"| `{image['server']}` | `{image['folder']}/Containerfile` | "
                         f"{image['understood']} of {image['statements']} | {verdict} |")
    lines += ["", "## Findings", ""]
    diagnostics = report["diagnostics"]
    assert isinstance(diagnostics, list)
    if not diagnostics:
        lines.append("None.")
    for d in diagnostics:
        message = str(d["message"]).replace("|", "\\|")
        lines.append(f"- `{d['file']}:{d['line']}:{d['column']}` {d['severity']}: {message} [{d['code']}]")
    return "\n".join(lines) + "\n"
