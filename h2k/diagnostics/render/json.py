"""Machine-readable diagnostics, shape `h2k-diagnostics` version 1 (see docs/diagnostics.md).

```
{"format": "h2k-diagnostics", "version": 1,
 "diagnostics": [{"code": "H2K004", "slug": "duplicate-key", "severity": "warning",
                  "message": "...", "file": "a.yaml", "line": 3, "column": 1,
                  "end_line": 3, "end_column": 5}]}
```
Lines and columns are 1-based; the end is exclusive. New keys may be added within a version;
removing or changing one bumps the version.
"""

from __future__ import annotations

import json

from h2k.diagnostics.model import Diagnostic

FORMAT = "h2k-diagnostics"
VERSION = 1


def as_dict(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code.id,
        "slug": d.code.slug,
        "severity": d.severity.label,
        "message": d.message,
        "file": d.span.file,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
    }


def render(diagnostics: list[Diagnostic]) -> str:
    document = {"format": FORMAT, "version": VERSION, "diagnostics": [as_dict(d) for d in diagnostics]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
