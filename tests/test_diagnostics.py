"""The code registry is complete and consistent, and the renderers keep their documented shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from h2k.diagnostics import CODES, DiagnosticSink, Severity, code
from h2k.diagnostics.reference import render as render_reference
from h2k.diagnostics.render import renderer
from h2k.span import Span

ROOT = Path(__file__).resolve().parent.parent


def test_ids_and_slugs_are_unique_and_well_formed() -> None:
    slugs = [c.slug for c in CODES.values()]
    assert len(set(slugs)) == len(slugs)
    for found in CODES.values():
        assert re.fullmatch(r"H2K\d{3}", found.id)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", found.slug)
        assert found.summary.endswith(".") and found.doc
        assert code(found.slug) is found and code(found.id.lower()) is found


def test_every_code_is_reported_somewhere() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "h2k").rglob("*.py")
                      if p.name not in ("codes.py", "reference.py"))
    unused = [c for c in CODES if f'"{c}"' not in sources and c != "H2K901"]
    assert unused == []
    assert "[H2K901]" in (ROOT / "h2k" / "cli.py").read_text(encoding="utf-8")


def test_reference_doc_is_generated_from_the_registry() -> None:
    assert (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8") == render_reference(), \
        "run: python -m h2k.diagnostics.reference > docs/diagnostics.md"


def _sample() -> list:  # type: ignore[type-arg]
    sink = DiagnosticSink()
    sink.report("H2K004", "duplicate key 'a'", Span("stack.yaml", 3, 1, 3, 2))
    sink.report("H2K401", "no image", Span("stack.yaml", 9, 5, 9, 12))
    sink.report("H2K406", "renamed", Span("a.yaml", 1, 1, 1, 2))
    return sink.sorted()


def test_text_lines() -> None:
    assert renderer("text")(_sample()).splitlines() == [
        "a.yaml:1:1: info: renamed [H2K406]",
        "stack.yaml:3:1: warning: duplicate key 'a' [H2K004]",
        "stack.yaml:9:5: error: no image [H2K401]",
    ]


def test_json_shape_version_1() -> None:
    document = json.loads(renderer("json")(_sample()))
    assert document["format"] == "h2k-diagnostics" and document["version"] == 1
    assert document["diagnostics"][1] == {
        "code": "H2K004", "slug": "duplicate-key", "severity": "warning", "message": "duplicate key 'a'",
        "file": "stack.yaml", "line": 3, "column": 1, "end_line": 3, "end_column": 2,
    }


def test_severity_order_and_threshold() -> None:
    sink = DiagnosticSink()
    sink.report("H2K004", "w", Span.point("x"))
    assert sink.has_at_least(Severity.WARNING) and not sink.has_at_least(Severity.ERROR)
    assert Severity.parse("warning") is Severity.WARNING


def test_conversion_matrix_is_generated_from_the_emitters() -> None:
    from h2k.backends.kubernetes.matrix import render

    assert (ROOT / "docs" / "conversion-matrix.md").read_text(encoding="utf-8") == render(), \
        "run: python -m h2k.backends.kubernetes.matrix > docs/conversion-matrix.md"
