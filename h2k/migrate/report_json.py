"""migration-report.json: every stack's entry and the overall figures (shape in docs/migrate.md).

The overall counts are sums of the stacks' counts, and the overall coverage is computed from
those sums (never an average of percentages), so a reader can check one against the other.
Nothing in it depends on the machine, the output directory, the time or the number of jobs.
"""

from __future__ import annotations

import json
from typing import Any

from h2k import __version__
from h2k.migrate.plan import Plan
from h2k.migrate.stack import COUNTS, STATUSES, Outcome, percent

FORMAT = "h2k-migration-report"
VERSION = 1
SUMMED = (*COUNTS, "on_kubernetes", "covered", "accounted", "wiring")


def build(plan: Plan, outcomes: list[Outcome], fail_on: str) -> dict[str, Any]:
    stacks = [outcome.entry for outcome in outcomes]
    summary: dict[str, Any] = {"stacks": len(stacks)}
    summary.update({status: sum(1 for s in stacks if s["status"] == status) for status in STATUSES})
    summary.update({key: sum(s["summary"][key] for s in stacks) for key in SUMMED})
    summary["coverage"] = percent(summary["covered"], summary["resources"])
    summary["diagnostics"] = {label: sum(s["summary"]["diagnostics"][label] for s in stacks)
                              for label in ("error", "warning", "info")}
    return {
        "format": FORMAT,
        "version": VERSION,
        "h2k": __version__,
        "source": {"kind": plan.kind, "path": plan.source},
        "fail_on": fail_on,
        "summary": summary,
        "stacks": stacks,
        "skipped": [{"path": s.path, "reason": s.reason} for s in plan.skipped],
    }


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
