"""`h2k explain TEMPLATE`: per resource, what h2k made of it and why.

Its role (the classify pass), the side it landed on with the rule that decided it (recorded on the
resource by the placement pass), the objects it became and what was lost on the way (H2K402 and
the other findings at its position). Objects, status and findings per resource come from the
report's own table (report/migration.py), so the explanation and the report never disagree.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from h2k.report.migration import ReportInput, build

if TYPE_CHECKING:
    from h2k.api import CompileResult

FORMAT = "h2k-explain"
VERSION = 1
# Findings that say something of the source did not carry over.
LOST = frozenset({"H2K302", "H2K402", "H2K404", "H2K416", "H2K419"})
# Findings that only repeat the placement, which the explanation shows as the side.
PLACEMENT = frozenset({"H2K303", "H2K305"})
RULES = {
    "targets": "chosen in the config file, targets:",
    "metadata": "chosen in its metadata, h2k.io/target",
    "type": "its type",
    "servers": "the server policy",
    "attached": "what it belongs to",
}
SIDES = {"kubernetes": "Kubernetes", "openstack": "OpenStack", "none": "neither side"}
STATUS = {
    "merged": "nothing of its own: merged into other objects",
    "openstack": "nothing on Kubernetes: it stays in the residual Heat stack",
    "not-translated": "nothing: not translated (H2K301)",
    "no-counterpart": "nothing: no Kubernetes counterpart",
    "switched-off": "nothing (OS::Heat::None)",
    "disabled": "nothing: its condition is false",
    "translated": "",
}


def explain(result: CompileResult) -> dict[str, object]:
    """The explanation of a compiled template, as plain data (what `--format json` prints)."""
    stack = result.stack
    assert stack is not None
    base_dir = os.path.dirname(stack.path)
    report = build(ReportInput(stack, result.objects, result.diagnostics, result.kube_version, base_dir))
    rows = report["resources"]
    assert isinstance(rows, list)
    resources = []
    for resource, row in zip([*stack.resources, *stack.disabled], rows, strict=True):
        placement = resource.placement
        findings = row["diagnostics"]
        resources.append({
            "name": resource.name,
            "type": resource.type,
            "file": _relative(resource.span.file, base_dir),
            "line": resource.span.line,
            "column": resource.span.column,
            "nested_in": row["nested_in"],
            "role": row["role"],
            "side": placement.side if placement else "none",
            "rule": placement.rule if placement else None,
            "reason": placement.reason if placement else "its condition is false",
            "guess": placement.guess if placement else False,
            "status": row["status"],
            "objects": row["objects"],
            "lost": [d for d in findings if d["code"] in LOST],
            "findings": [d for d in findings if d["code"] not in LOST | PLACEMENT],
        })
    return {"format": FORMAT, "version": VERSION, "template": report["template"], "stack": stack.name,
            "kube_version": result.kube_version, "resources": resources}


def _relative(path: str, base_dir: str) -> str:
    try:
        return os.path.relpath(path, base_dir).replace(os.sep, "/")
    except ValueError:
        return os.path.basename(path)


def to_json(explanation: dict[str, object]) -> str:
    return json.dumps(explanation, indent=2, ensure_ascii=False) + "\n"


def to_text(explanation: dict[str, object]) -> str:
    """One block per resource: a heading line, then labelled lines; long lists continue aligned."""
    resources = explanation["resources"]
    assert isinstance(resources, list)
    template = str(explanation["template"])
    lines = [f"{template}: stack {explanation['stack']}, Kubernetes {explanation['kube_version']}, "
             f"{len(resources)} resources"]
    for item in resources:
        where = f"{item['file']}:{item['line']}:{item['column']}"
        lines += ["", f"{item['name']} ({item['type']}) at {where}"]
        rule = RULES.get(item["rule"], "") if item["rule"] else ""
        guess = ", a guess: `h2k hint` asks for what decides it" if item["guess"] else ""
        _field(lines, "role", [item["role"] or "none"])
        _field(lines, "side", [f"{SIDES[item['side']]} ({rule}{guess}): {item['reason']}" if rule
                               else f"{SIDES[item['side']]}: {item['reason']}"])
        _field(lines, "became", item["objects"] or [STATUS.get(item["status"], item["status"])])
        _field(lines, "lost", [_finding(d, template) for d in item["lost"]])
        _field(lines, "findings", [_finding(d, template) for d in item["findings"]])
    return "\n".join(lines) + "\n"


def _field(lines: list[str], label: str, values: list[str]) -> None:
    for position, value in enumerate(values):
        lines.append(f"  {label if position == 0 else '':9} {value}")


def _finding(d: dict[str, object], template: str) -> str:
    where = f"{d['line']}:{d['column']}" if d["file"] == template else f"{d['file']}:{d['line']}:{d['column']}"
    return f"{where} {d['severity']}: {d['message']} [{d['code']}]"
