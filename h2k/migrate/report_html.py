"""migration-report.html: one self-contained page (no script, no external font, image or style).

The graphs are inline SVG drawn by h2k (h2k/report/graph/svg.py). The page is plain semantic
HTML: landmarks, headings in order, tables with header cells and captions, statuses written out
(colour only repeats them), and a print style that keeps figures and table rows whole and scales
graphs to the page. Every piece of text from templates is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from h2k.migrate import wording as w
from h2k.migrate.stack import Outcome

STYLE = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4d4d4d; --line: #c9c9c9; --ok: #146c2e; --findings: #8a4b00;
  --failed: #b3261e; --k8s: #1c4aa6; --os: #9c1622; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.9rem; margin: 0.5rem 0; } h2 { font-size: 1.45rem; margin-top: 2.5rem;
  border-bottom: 2px solid var(--line); padding-bottom: 0.2rem; } h3 { font-size: 1.15rem; margin-top: 1.5rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
  overflow-wrap: anywhere; }
a { color: #0b57d0; } a:focus-visible, .graph:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
dl.figures dt { font-weight: 600; } dl.figures dd { margin: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; padding: 0.05rem 0.45rem; border-radius: 0.3rem; border: 1px solid currentColor;
  white-space: nowrap; }
.status-ok { color: var(--ok); } .status-findings { color: var(--findings); } .status-failed { color: var(--failed); }
.severity-error { color: var(--failed); font-weight: 600; }
.severity-warning { color: var(--findings); font-weight: 600; }
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 0.3rem; padding: 0.5rem; }
.graph svg { display: block; max-width: none; height: auto; }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.3rem; }
ul.findings { padding-left: 1.2rem; } ul.findings li { margin: 0.2rem 0; }
pre { background: #f6f6f6; border: 1px solid var(--line); padding: 0.5rem; overflow: auto; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.9rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; } .skip { display: none; }
  a { color: inherit; text-decoration: none; }
  section.stack { break-before: page; } h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; } .graph { overflow: visible; border: none; padding: 0; }
  .graph svg { max-width: 100%; }
}
"""


def _t(text: object) -> str:
    return escape(str(text), quote=True)


def _c(text: object) -> str:
    return f"<code>{_t(text)}</code>"


def _status(status: str) -> str:
    return f'<span class="status status-{status}">{_t(w.STATUS_WORDS[status])}</span>'


def _table(caption: str, head: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
    """Cells are HTML already; `numeric` columns are right-aligned."""
    def cls(i: int) -> str:
        return ' class="n"' if i in numeric else ""

    header = "".join(f'<th scope="col"{cls(i)}>{_t(h)}</th>' for i, h in enumerate(head))
    body = "\n".join("<tr>" + "".join(
        (f'<th scope="row">{cell}</th>' if i == 0 else f"<td{cls(i)}>{cell}</td>") for i, cell in enumerate(row))
        + "</tr>" for row in rows)
    return (f"<table>\n<caption>{caption}</caption>\n<thead><tr>{header}</tr></thead>\n"
            f"<tbody>\n{body}\n</tbody>\n</table>")


def to_html(report: dict[str, Any], outcomes: list[Outcome]) -> str:
    svgs = {outcome.name: outcome.svg for outcome in outcomes}
    s = report["summary"]
    source = report["source"]
    rows = []
    for entry in report["stacks"]:
        t = entry["summary"]
        rows.append([f'<a href="#{w.anchor(entry["name"])}">{_c(entry["name"])}</a>', _status(entry["status"]),
                     str(t["resources"]), str(t["on_kubernetes"]), str(t["openstack"]),
                     str(t["not_translated"] + t["no_counterpart"]), _t(w.coverage_text(t)),
                     str(t["diagnostics"]["error"]), str(t["diagnostics"]["warning"]), str(t["wiring"])])
    stacks_table = _table("Stacks", ["stack", "status", "resources", "Kubernetes", "OpenStack", "needs a human",
                                     "coverage", "errors", "warnings", "wiring keys"], rows,
                          frozenset(range(2, 10)))
    skipped = ""
    if report["skipped"]:
        items = "\n".join(f"<li>{_c(i['path'])}: {_t(i['reason'])}</li>" for i in report["skipped"])
        skipped = f"<h3>Not compiled as stacks of their own</h3>\n<ul>\n{items}\n</ul>"
    figures = "\n".join(f"<dt>{_t(label)}</dt><dd>{_t(text)}</dd>" for label, text in w.overall(report))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="h2k {_t(report["h2k"])}">',
        f"<title>Migration report: {_t(source['path'])}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header>",
        "<h1>Migration report</h1>",
        f"<p>Source {_c(source['path'])} ({_t(w.KIND_WORDS[source['kind']])}), "
        f"{_t(w.plural(s['stacks'], 'stack'))}; h2k {_t(report['h2k'])}. A stack is ok when it compiled without "
        f"findings at or above {_c(report['fail_on'])}. Each stack's output is in {_c('stacks/<name>/')}, with its "
        f"own {_c('h2k-report.md')}.</p>",
        "</header>",
        '<main id="main">',
        '<section aria-labelledby="overall">',
        '<h2 id="overall">Overall</h2>',
        f'<dl class="figures">\n{figures}\n</dl>',
        stacks_table,
        skipped,
        "</section>",
        *(_stack(entry, report["fail_on"], svgs.get(entry["name"], "")) for entry in report["stacks"]),
        "</main>",
        f"<footer><p>Written by h2k {_t(report['h2k'])}. The same data is in {_c('migration-report.json')}."
        "</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _stack(entry: dict[str, Any], fail_on: str, svg: str) -> str:
    name, s = entry["name"], entry["summary"]
    ident = w.anchor(name)
    facts = [("Template", _c(entry["template"]))]
    if entry["environment"]:
        facts.append(("Environment", ", ".join(_c(e) for e in entry["environment"])))
    if entry["adopt"]:
        facts.append(("Adopting", ", ".join(_c(a) for a in entry["adopt"])))
    if entry["parameters"]:
        facts.append(("Parameters given", ", ".join(_c(p) for p in entry["parameters"])))
    if entry["output"]:
        facts.append(("Output", f'<a href="{_t(entry["output"])}/h2k-report.md">{_c(entry["output"] + "/")}</a> '
                                f"(stack {_c(entry['stack'])}, Kubernetes {_t(entry['kube_version'])})"))
        facts.append(("Coverage", _t(f"{w.coverage_text(s)}: {s['covered']} of {w.plural(s['resources'], 'resource')} "
                                     "carried over to Kubernetes")))
    facts.append(("Status", f"{_status(entry['status'])} {_t(w.status_text(entry['status'], fail_on))}"))
    out = [f'<section class="stack" id="{ident}" aria-labelledby="{ident}-title">',
           f'<h2 id="{ident}-title">Stack {_c(name)}</h2>',
           '<dl class="figures">' + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts) + "</dl>"]
    if svg:
        out.append(f'<figure>\n<div class="graph" role="region" tabindex="0" aria-label="{_t(f"Graph of {name}")}">'
                   f"\n{svg.rstrip()}\n</div>\n<figcaption>What goes to Kubernetes and what stays on OpenStack. "
                   "Solid arrows: refers to (get_resource, get_attr, depends_on); dashed arrows: a value wired "
                   "through h2k bind, labelled with its key. A dashed box is not translated.</figcaption>\n</figure>")
    moved = w.on_kubernetes(entry)
    if moved:
        out.append(f"<h3>Moved to Kubernetes ({len(moved)})</h3>")
        out.append(_table(f"Resources of {_c(name)} that became Kubernetes objects", ["resource", "type", "became"],
                          [[_c(r["name"]), _c(r["type"]), ", ".join(_c(o) for o in r["objects"]) or _t(w.became(r))]
                           for r in moved]))
    staying = w.on_openstack(entry)
    if staying:
        out.append(f"<h3>Stays on OpenStack ({len(staying)})</h3>")
        out.append(f"<p>In {_c(entry['output'] + '/openstack/')}.</p>")
        out.append(_table(f"Resources of {_c(name)} that stay on OpenStack", ["resource", "type"],
                          [[_c(r["name"]), _c(r["type"])] for r in staying]))
    human, findings = w.needing_a_human(entry), w.serious(entry)
    if human or findings:
        out.append("<h3>Needs a human</h3>")
        if human:
            out.append(_table(f"Resources of {_c(name)} without a Kubernetes object",
                              ["resource", "type", "what happened", "findings"],
                              [[_c(r["name"]), _c(r["type"]), _t(w.became(r)), _t(", ".join(r["codes"]) or "-")]
                               for r in human]))
        if findings:
            notes = s["diagnostics"]["info"]
            also = f"; {w.plural(notes, 'note')} in its report" if notes else ""
            out.append(f"<p>Findings (errors and warnings{_t(also)}):</p>")
            out.append('<ul class="findings">' + "".join(
                f"<li>{_c(w.position(d))} <span class=\"severity-{_t(d['severity'])}\">{_t(d['severity'])}</span>: "
                f"{_t(d['message'])} [{_t(d['code'])}]</li>" for d in findings) + "</ul>")
    rest = w.otherwise(entry)
    if rest:
        out.append(f"<p>Nothing to do for {', '.join(_c(r['name']) for r in rest)} (switched off, or disabled by a "
                   "condition).</p>")
    if entry["wiring"]:
        out.append(f"<h3>Wiring keys to fill ({len(entry['wiring'])})</h3>")
        out.append(_table(f"Values {_c(name)} reads from OpenStack", ["key", "in", "from", "read by"],
                          [[_c(x["key"]), _c(x["object"]), f"{_c(x['resource'])} {_t(x['attribute'])}",
                            ", ".join(f"{_c(c['resource'])} ({_c(c['variable'])})" for c in x["consumers"])]
                           for x in entry["wiring"]]))
        out.append("<p>Once the residual stack runs (paths from the directory of this report):</p>")
        out.append("<pre><code>" + _t("\n".join(w.bind_commands(entry))) + "</code></pre>")
    out.append("</section>")
    return "\n".join(out)
