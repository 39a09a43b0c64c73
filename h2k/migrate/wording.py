"""Words the Markdown and HTML reports share, so both say the same thing the same way."""

from __future__ import annotations

import re
from typing import Any

from h2k.report.graph.model import STATUS_TEXT

STATUS_WORDS = {
    "ok": "ok",
    "findings": "findings",
    "failed": "failed",
}
KIND_WORDS = {
    "directory": "a directory of templates",
    "manifest": "a manifest",
    "export": "the export of a live stack",
}
# Resource statuses that need a person: nothing was made, and h2k says why.
NEEDS_A_HUMAN = ("not-translated", "no-counterpart")
# Mermaid's default limit on a diagram's text; GitHub and GitLab refuse longer ones.
MERMAID_LIMIT = 50_000


def anchor(name: str) -> str:
    """The id of a stack's section, as GitHub and GitLab derive it from the heading `Stack name`.

    >>> anchor("F18-WordPress_Native.v2")
    'stack-f18-wordpress_nativev2'
    """
    return "stack-" + re.sub(r"[^a-z0-9_-]", "", name.lower())


def plural(count: int, one: str, many: str | None = None) -> str:
    """A count and its noun.

    >>> plural(1, "stack"), plural(2, "stack"), plural(0, "entry", "entries")
    ('1 stack', '2 stacks', '0 entries')
    """
    return f"{count} {one if count == 1 else many or one + 's'}"


def coverage_text(summary: dict[str, Any]) -> str:
    if summary["coverage"] is None:
        return "-"
    return f"{summary['coverage']:.1f}%"


def status_text(status: str, fail_on: str) -> str:
    return {"ok": f"ok: compiled, nothing at or above {fail_on}",
            "findings": f"findings at or above {fail_on} (the output is written; read them)",
            "failed": "failed: nothing written (the findings say why)"}[status]


def became(resource: dict[str, Any]) -> str:
    return ", ".join(resource["objects"]) or STATUS_TEXT.get(resource["status"], resource["status"])


def on_kubernetes(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in entry["resources"] if r["status"] in ("translated", "merged")]


def on_openstack(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in entry["resources"] if r["status"] == "openstack"]


def needing_a_human(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in entry["resources"] if r["status"] in NEEDS_A_HUMAN]


def otherwise(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources with nothing to do: switched off, or disabled by a condition."""
    return [r for r in entry["resources"] if r["status"] in ("switched-off", "disabled")]


def serious(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors and warnings of a stack (notes are counted, and listed in its own report)."""
    return [d for d in entry["diagnostics"] if d["severity"] in ("error", "warning")]


def position(diagnostic: dict[str, Any]) -> str:
    return f"{diagnostic['file']}:{diagnostic['line']}:{diagnostic['column']}"


def bind_commands(entry: dict[str, Any]) -> list[str]:
    """What fills the wiring keys once the residual stack runs (paths relative to the report)."""
    return ["openstack stack output show <residual stack> --all -f json > outputs.json",
            f"h2k bind {entry['output']} --stack-outputs outputs.json"]


def overall(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The overall figures as (label, sentence) pairs, plain text."""
    s = report["summary"]
    fail_on = report["fail_on"]
    counts = s["diagnostics"]
    return [
        ("Stacks", f"{s['stacks']}: {s['ok']} ok, {s['findings']} with findings at or above {fail_on}, "
                   f"{s['failed']} failed (nothing written)."),
        ("Resources", f"{s['resources']}: {s['on_kubernetes']} moved to Kubernetes ({s['translated']} translated, "
                      f"{s['merged']} merged into other objects), {s['openstack']} stay on OpenStack, "
                      f"{s['not_translated']} not translated, {s['no_counterpart']} without a Kubernetes "
                      f"counterpart, {s['switched_off']} switched off, {s['disabled']} disabled by a condition; "
                      f"{plural(s['objects'], 'Kubernetes object')} written."),
        ("Coverage", f"{coverage_text(s)}: {s['covered']} of {s['resources']} resources carried over to "
                     f"Kubernetes (switched-off ones count: there is nothing to carry); {s['accounted']} accounted "
                     "for with those staying on OpenStack and those without a counterpart by design."),
        ("Needs a human", f"{s['not_translated'] + s['no_counterpart']} resources (not translated, or without a "
                          f"counterpart); findings: {plural(counts['error'], 'error')}, "
                          f"{plural(counts['warning'], 'warning')}, {plural(counts['info'], 'note')}."),
        ("Wiring", f"{plural(s['wiring'], 'key')} to fill with h2k bind once the residual stacks run."),
    ]
