"""migration-report.md: the migration for people, rendered by GitHub and GitLab as it is.

Per stack: what moved to Kubernetes, what stays on OpenStack, what needs a human (resources and
findings), the wiring keys to fill, and a Mermaid graph of the split. Text from templates is
escaped for Markdown tables and code spans; the Mermaid graphs escape their own labels.
"""

from __future__ import annotations

from typing import Any

from h2k.migrate import wording as w
from h2k.migrate.stack import Outcome


def code(text: object) -> str:
    """A code span that survives any content, inside a table too.

    >>> code("a|b"), code("x`y")
    ('`a\\\\|b`', '`` x`y ``')
    """
    value = " ".join(str(text).split()).replace("|", "\\|")
    return f"`` {value} ``" if "`" in value else f"`{value}`"


def prose(text: object) -> str:
    """Free text (a finding's message) in a list item or a table cell."""
    value = " ".join(str(text).split())
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def to_markdown(report: dict[str, Any], outcomes: list[Outcome]) -> str:
    lines = [
        "# Migration report",
        "",
        f"Source: {code(report['source']['path'])} ({w.KIND_WORDS[report['source']['kind']]}), "
        f"{w.plural(report['summary']['stacks'], 'stack')}; h2k {report['h2k']}. A stack is ok when it compiled "
        f"without findings at or above `{report['fail_on']}`. Each stack's output is in `stacks/<name>/`, with "
        "its own `h2k-report.md`.",
        "",
        "## Overall",
        "",
        *(f"- **{label}:** {text}" for label, text in w.overall(report)),
        "",
        "| stack | status | resources | Kubernetes | OpenStack | needs a human | coverage | errors | warnings "
        "| wiring keys |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in report["stacks"]:
        s = entry["summary"]
        lines.append(f"| [{code(entry['name'])}](#{w.anchor(entry['name'])}) | {entry['status']} | {s['resources']} "
                     f"| {s['on_kubernetes']} | {s['openstack']} | {s['not_translated'] + s['no_counterpart']} "
                     f"| {w.coverage_text(s)} | {s['diagnostics']['error']} | {s['diagnostics']['warning']} "
                     f"| {s['wiring']} |")
    if report["skipped"]:
        lines += ["", "Not compiled as stacks of their own:", ""]
        lines += [f"- {code(item['path'])}: {prose(item['reason'])}" for item in report["skipped"]]
    mermaid = {outcome.name: outcome.mermaid for outcome in outcomes}
    for entry in report["stacks"]:
        lines += ["", *_stack(entry, report["fail_on"], mermaid.get(entry["name"], ""))]
    return "\n".join(lines) + "\n"


def _stack(entry: dict[str, Any], fail_on: str, mermaid: str) -> list[str]:
    s = entry["summary"]
    where = [f"Template {code(entry['template'])}"]
    if entry["environment"]:
        where.append(f"environment {', '.join(code(e) for e in entry['environment'])}")
    if entry["adopt"]:
        where.append(f"adopting {', '.join(code(a) for a in entry['adopt'])}")
    if entry["parameters"]:
        where.append(f"parameters {', '.join(code(p) for p in entry['parameters'])}")
    if entry["output"]:
        where.append(f"output [{code(entry['output'] + '/')}]({entry['output']}/h2k-report.md) (stack "
                     f"{code(entry['stack'])}, Kubernetes {entry['kube_version']})")
    lines = [f"## Stack {code(entry['name'])}", "", "; ".join(where) + ".", "",
             f"**Status: {w.status_text(entry['status'], fail_on)}.**"]
    if entry["output"]:
        lines[-1] += (f" Coverage {w.coverage_text(s)} ({s['covered']} of {w.plural(s['resources'], 'resource')} "
                      "carried over to Kubernetes).")
    moved = w.on_kubernetes(entry)
    if moved:
        lines += ["", f"### Moved to Kubernetes ({len(moved)})", "", "| resource | type | became |", "|---|---|---|"]
        lines += [f"| {code(r['name'])} | {code(r['type'])} | {_became(r)} |" for r in moved]
    staying = w.on_openstack(entry)
    if staying:
        lines += ["", f"### Stays on OpenStack ({len(staying)})", "",
                  f"In {code(entry['output'] + '/openstack/')}.", "", "| resource | type |", "|---|---|"]
        lines += [f"| {code(r['name'])} | {code(r['type'])} |" for r in staying]
    human, findings = w.needing_a_human(entry), w.serious(entry)
    if human or findings:
        lines += ["", "### Needs a human", ""]
        if human:
            lines += ["| resource | type | what happened | findings |", "|---|---|---|---|"]
            lines += [f"| {code(r['name'])} | {code(r['type'])} | {prose(w.became(r))} | "
                      f"{', '.join(r['codes']) or '-'} |" for r in human]
            lines.append("")
        notes = s["diagnostics"]["info"]
        if findings:
            also = f"; {w.plural(notes, 'note')} in its report" if notes else ""
            lines += [f"Findings (errors and warnings{also}):", ""]
            lines += [f"- {code(w.position(d))} {d['severity']}: {prose(d['message'])} [{d['code']}]"
                      for d in findings]
    rest = w.otherwise(entry)
    if rest:
        lines += ["", f"Nothing to do for {', '.join(code(r['name']) for r in rest)} (switched off, or disabled by "
                  "a condition)."]
    if entry["wiring"]:
        lines += ["", f"### Wiring keys to fill ({len(entry['wiring'])})", "",
                  "| key | in | from | read by |", "|---|---|---|---|"]
        for wire in entry["wiring"]:
            readers = ", ".join(f"{code(c['resource'])} ({code(c['variable'])})" for c in wire["consumers"])
            lines.append(f"| {code(wire['key'])} | {code(wire['object'])} | {code(wire['resource'])} "
                         f"{prose(wire['attribute'])} | {readers} |")
        lines += ["", "Once the residual stack runs (paths from the directory of this report):", "", "```sh",
                  *w.bind_commands(entry), "```"]
    if entry["graph"] is not None and mermaid:
        lines += ["", "### Graph", ""]
        if len(mermaid) > w.MERMAID_LIMIT:
            lines.append("Too large for Mermaid; see the graph in `migration-report.html`.")
        else:
            lines += ["Solid arrows: refers to (`get_resource`, `get_attr`, `depends_on`); dotted arrows: a value "
                      "wired through `h2k bind`, labelled with its key.", "", "```mermaid", mermaid.rstrip("\n"), "```"]
    return lines


def _became(resource: dict[str, Any]) -> str:
    return ", ".join(code(o) for o in resource["objects"]) or prose(w.became(resource))
