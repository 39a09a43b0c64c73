"""`h2k migrate`: many stacks at once, compiled in parallel, with one report over all of them.

sources.py recognises the input (manifest.py, export.py for its kinds) and makes a plan
(plan.py); run.py compiles the plan's stacks in worker processes (stack.py is one stack's work)
with progress.py on stderr; report_json.py, report_md.py and report_html.py write the reports.
The whole output directory is one tree, swapped in at once as `h2k compile -o` writes one stack;
each worker writes the stacks it compiles into the staging tree itself.
Nothing here prints: the CLI does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from h2k.migrate.plan import Plan, SourceError
from h2k.migrate.stack import Outcome
from h2k.source.limits import Limits

if TYPE_CHECKING:
    from h2k.output.tree import StagedTree

__all__ = ["MigrationResult", "SourceError", "migrate", "plan"]

REPORT_JSON = "migration-report.json"
REPORT_MD = "migration-report.md"
REPORT_HTML = "migration-report.html"


@dataclass
class MigrationResult:
    plan: Plan
    outcomes: list[Outcome]
    report: dict[str, Any]
    # The files written (markers aside): stacks/<name>/... and the three reports.
    files: dict[str, bytes]

    @property
    def passed(self) -> bool:
        """Every stack compiled with no finding at or above the threshold."""
        return all(outcome.entry["status"] == "ok" for outcome in self.outcomes)


def plan(source: str, overrides: dict[str, str] | None = None, limits: Limits | None = None) -> Plan:
    """What `source` holds; raises SourceError when it cannot be used."""
    from h2k.migrate.sources import recognise

    return recognise(source, overrides or {}, limits or Limits())


def migrate(planned: Plan, jobs: int = 1, fail_on: str = "error", done: Callable[[Outcome], None] | None = None,
            out: StagedTree | None = None) -> MigrationResult:
    """Compile every stack of the plan (`jobs` at a time) and build the reports.

    With `out`, each stack's tree is written into it by the process that compiled the stack (so
    writing overlaps compiling, and several processes write at once), then the reports; the caller
    commits it. Raises OSError when a stack's tree cannot be written.
    """
    from h2k.migrate import report_html, report_json, report_md
    from h2k.migrate.run import run_plan

    destinations = {spec.name: str(out.part(f"stacks/{spec.name}")) for spec in planned.stacks} if out else {}

    def finished(outcome: Outcome) -> None:
        if out is not None and outcome.written:
            out.record(f"stacks/{outcome.name}", outcome.written)
        if done is not None:
            done(outcome)

    outcomes = run_plan(planned, jobs, fail_on, finished, destinations)
    failed = next((outcome.write_error for outcome in outcomes if outcome.write_error), None)
    if failed:
        raise OSError(failed)
    report = report_json.build(planned, outcomes, fail_on)
    files = {f"stacks/{outcome.name}/{path}": data for outcome in outcomes for path, data in outcome.files.items()}
    reports = {REPORT_JSON: report_json.to_json(report).encode(),
               REPORT_MD: report_md.to_markdown(report, outcomes).encode(),
               REPORT_HTML: report_html.to_html(report, outcomes).encode()}
    if out is not None:
        out.add(reports)
    files.update(reports)
    return MigrationResult(planned, outcomes, report, dict(sorted(files.items())))
