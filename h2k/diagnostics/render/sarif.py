"""SARIF 2.1.0, the log format code-scanning services import (GitHub, GitLab, Azure DevOps).

One run, whose driver is h2k; its rules are the registry entries the results refer to, so a
service can show each code's documentation beside the finding. Files are relative to the working
directory under the base id `%SRCROOT%` (CI runs h2k at the repository root, and services resolve
findings against that root); `originalUriBaseIds` says where it was on the machine that ran h2k.
Spans are already in SARIF's terms: 1-based, end exclusive, columns in code points.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from h2k import __version__
from h2k.diagnostics.codes import Code, Severity
from h2k.diagnostics.model import Diagnostic
from h2k.diagnostics.render.paths import relative_path

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://h2k.dev"
BASE_ID = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(diagnostics: list[Diagnostic], base: Path | None = None) -> str:
    base = Path(os.path.abspath(base or Path.cwd()))
    codes = sorted({d.code.id: d.code for d in diagnostics}.values(), key=lambda c: c.id)
    index = {c.id: position for position, c in enumerate(codes)}
    run = {
        "tool": {"driver": {"name": "h2k", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": [_rule(c) for c in codes]}},
        "originalUriBaseIds": {BASE_ID: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.code.id], base) for d in diagnostics],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(found: Code) -> dict[str, object]:
    # The doc's first paragraph describes the rule; the whole doc (Markdown, with an example) is its help.
    first = found.doc.split("\n\n", 1)[0].replace("\n", " ")
    return {
        "id": found.id,
        "name": found.slug,
        "shortDescription": {"text": found.summary},
        "fullDescription": {"text": first},
        "help": {"text": found.doc, "markdown": found.doc},
        "defaultConfiguration": {"level": LEVELS[found.severity]},
    }


def _result(d: Diagnostic, rule_index: int, base: Path) -> dict[str, object]:
    return {
        "ruleId": d.code.id,
        "ruleIndex": rule_index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(d.span.file, base),
                                            "region": _region(d)}}],
    }


def _artifact(file: str, base: Path) -> dict[str, str]:
    relative = relative_path(file, base)
    if relative is None:
        return {"uri": Path(os.path.abspath(file)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": BASE_ID}


def _region(d: Diagnostic) -> dict[str, int]:
    span = d.span
    region = {"startLine": max(span.line, 1), "startColumn": max(span.column, 1)}
    if (span.end_line, span.end_column) > (span.line, span.column):
        region.update(endLine=span.end_line, endColumn=span.end_column)
    return region
