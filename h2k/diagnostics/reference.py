"""docs/diagnostics.md, generated from the registry: `python -m h2k.diagnostics.reference`."""

from __future__ import annotations

from h2k.diagnostics.codes import CODES

_STAGES = {"0": "Source loading", "1": "HOT front-end", "3": "Passes", "4": "Kubernetes backend",
           "5": "OpenStack backend", "6": "Boot scripts", "7": "TOSCA front-end",
           "9": "Configuration and internal errors"}

_INTRO = """# Diagnostics reference

Generated from `h2k/diagnostics/codes.py` by `python -m h2k.diagnostics.reference`; do not edit.

Every finding h2k reports has a code `H2Knnn`, a slug, and a severity. Text output is one line per
finding, `path:line:col: severity: message [H2Knnn]`, with 1-based lines and columns. `h2k explain
CODE` prints the entry below for one code.

Exit codes: `0` no finding at or above `--fail-on` (default `error`); `1` such findings (or drift
with `compile --check`); `2` usage errors, unreadable input (codes marked *exit 2* below) and internal
errors.

## JSON output

`--format json` (`h2k check`) and `--diagnostics-format json` (`h2k compile`) print one object:

```json
{"format": "h2k-diagnostics", "version": 1,
 "diagnostics": [{"code": "H2K004", "slug": "duplicate-key", "severity": "warning",
                  "message": "duplicate key 'a' (first at line 1); the last value wins, as in Heat",
                  "file": "stack.yaml", "line": 3, "column": 1, "end_line": 3, "end_column": 2}]}
```

Lines and columns are 1-based and the end is exclusive. Keys may be added within a version; a key
is never removed or changed without a new version number. Findings are sorted by file, line,
column and code.

For CI, `sarif` prints a SARIF 2.1.0 log (each code a rule) for code scanning, and `github` prints
GitHub Actions workflow commands (annotations); see [ci.md](ci.md).
"""


def render() -> str:
    lines = [_INTRO]
    stage = None
    for found in CODES.values():
        if found.id[3] != stage:
            stage = found.id[3]
            lines.append(f"## {found.id[:4]}xx: {_STAGES[stage]}\n")
        exit_note = " · *exit 2*" if found.category == "io" else ""
        lines.append(f"### {found.id} `{found.slug}`\n\n*{found.severity.label}*{exit_note} — {found.summary}\n\n"
                     f"{found.doc}\n")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
