"""`images/<name>/analysis.md`: what each line of a server's boot script became, and how sure h2k is.

The confidence report a reviewer reads before trusting the image: one row per statement, in the
script's order, with the line in the template, what it became and why; then what h2k could not
do. A statement h2k did not understand is listed as such, never hidden.
"""

from __future__ import annotations

from h2k.ir import recipe as kinds
from h2k.ir.recipe import Recipe

_BECOMES = {
    kinds.IMAGE: "image (RUN)",
    kinds.FILE: "image (COPY)",
    kinds.CONFIG: "ConfigMap file",
    kinds.RUNTIME: "start script",
    kinds.PROCESS: "process (CMD)",
    kinds.ENV: "ENV",
    kinds.VOLUME: "volume claim",
    kinds.SIGNAL: "readiness",
    kinds.DROPPED: "left out",
    kinds.VM_ONLY: "needs a VM",
    kinds.UNKNOWN: "NOT UNDERSTOOD",
}


def analysis_report(recipe: Recipe, name: str, source: str, notes: list[str]) -> str:
    lines = [f"# Boot script analysis: {name}", "",
             f"Source: `{source}`. {len(recipe.steps)} statements, {recipe.understood} understood.", ""]
    blockers = recipe.blockers()
    if blockers:
        lines += ["**Not confident**: " + "; ".join(blockers) + ".", ""]
    else:
        lines += ["**Confident**: every statement understood, nothing needs a virtual machine, one process.", ""]
    lines += ["| line | statement | becomes | why |", "|---:|---|---|---|"]
    for step in recipe.steps:
        shown = step.text.split("\n", 1)[0] if step.text else "(cloud-config)"
        if len(shown) > 70:
            shown = shown[:67] + "..."
        if "\n" in step.text:
            shown += " …"
        lines.append(f"| {step.span.line} | `{_cell(shown)}` | {_BECOMES[step.kind]} | {_cell(step.note)} |")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")
