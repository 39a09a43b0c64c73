"""The loader reads YAML exactly as Heat's PyYAML loader does, with positions and findings."""

from __future__ import annotations

import datetime
import json

import pytest
import yaml

from h2k.diagnostics import DiagnosticSink
from h2k.source import Limits, YMap, load_text, to_python
from h2k.source.loader import decode


class HeatLoader(yaml.CSafeLoader):
    """Heat's template loader: PyYAML's safe loader with timestamps kept as strings."""


HeatLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

# Inputs whose values must equal Heat's reading of them.
SAME_AS_HEAT = [
    "heat_template_version: 2016-10-14\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\n",
    "a: 0644\nb: 0x1F\nc: 0b101\nd: 1_000\ne: 1:30\nf: -0\n",
    "a: 1e3\nb: 1.5e3\nc: .inf\nd: -.Inf\ne: 1_0.5\n",
    "a: ~\nb: null\nc:\nd: ''\ne: 'null'\n",
    "a: 2001-12-14t21:59:43.10-05:00\nb: '2016-10-14'\n",
    "base: &b {x: 1, y: 2}\nderived: {<<: *b, y: 3}\nlist: [*b, *b]\n",
    "m: {<<: [{a: 1}, {a: 2, b: 3}], c: 4}\n",
    "a: 1\nb: 2\na: 3\n",
    "s: |\n  line one\n  line two\nf: >\n  folded\n  text\n",
    "? complex\n: value\n1: int key\n",
    '{"heat_template_version": "2015-04-30", "n": 1e3, "b": true, "z": null}',
    "bin: !!binary aGVsbG8=\nstr: !!str 123\nint: !!int '7'\n",
]


@pytest.mark.parametrize("text", SAME_AS_HEAT)
def test_values_match_heat(text: str) -> None:
    sink = DiagnosticSink()
    expected = json.loads(text) if text.startswith("{") else yaml.load(text, Loader=HeatLoader)
    node = load_text(text, "t.yaml", sink)
    assert node is not None
    assert to_python(node) == expected
    assert [d.code.id for d in sink.items if d.code.id != "H2K004"] == []


def test_no_timestamp_objects() -> None:
    value = to_python(load_text("d: 2016-10-14\n", "t.yaml", DiagnosticSink()))  # type: ignore[arg-type]
    assert value == {"d": "2016-10-14"}
    assert not isinstance(value["d"], datetime.date)  # type: ignore[index]


def test_spans_are_one_based_and_cover_the_node() -> None:
    node = load_text("top:\n  key: value\n  list: [1, 2]\n", "t.yaml", DiagnosticSink())
    assert isinstance(node, YMap)
    inner = node.get("top")
    assert isinstance(inner, YMap)
    key = inner.key_node("key")
    assert key is not None
    assert (key.span.line, key.span.column, key.span.end_line, key.span.end_column) == (2, 3, 2, 6)
    value = inner.get("list")
    assert value is not None
    assert (value.span.line, value.span.column, value.span.end_column) == (3, 9, 15)


def test_duplicate_key_keeps_last_value_and_first_position() -> None:
    sink = DiagnosticSink()
    node = load_text("a: 1\nb: 2\na: 3\n", "t.yaml", sink)
    assert list(to_python(node).items()) == [("a", 3), ("b", 2)]  # type: ignore[arg-type, union-attr]
    [finding] = sink.items
    assert (finding.code.id, finding.span.line, finding.span.column) == ("H2K004", 3, 1)
    assert "first at line 1" in finding.message


def test_merged_keys_are_not_duplicates() -> None:
    sink = DiagnosticSink()
    load_text("b: &b {x: 1}\nd: {<<: *b, x: 2}\n", "t.yaml", sink)
    assert sink.items == []


def test_bom_and_crlf_load_like_plain_text() -> None:
    plain = "heat_template_version: 2015-04-30\nresources:\n  a: {type: OS::Heat::None}\n"
    sink = DiagnosticSink()
    text = decode(b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode(), "t.yaml", sink)
    assert text is not None
    crlf = load_text(text, "t.yaml", sink)
    assert to_python(crlf) == to_python(load_text(plain, "t.yaml", sink))  # type: ignore[arg-type]
    assert isinstance(crlf, YMap)
    resources = crlf.get("resources")
    assert isinstance(resources, YMap)
    assert resources.entries[0][0].span.line == 3
    assert sink.items == []


def _codes(text: str, limits: Limits) -> list[tuple[str, int, int]]:
    sink = DiagnosticSink()
    node = load_text(text, "t.yaml", sink, limits)
    assert node is None or sink.items[0].code.id not in ("H2K003", "H2K005", "H2K006", "H2K007")
    return [(d.code.id, d.span.line, d.span.column) for d in sink.items]


REFUSED = [
    # (title, text, limits, expected code, line)
    ("tab indentation", "resources:\n\tserver: {}\n", Limits(), "H2K003", 2),
    ("unclosed flow", "a: [1, 2\n", Limits(), "H2K003", 2),
    ("undefined alias", "a: *nope\n", Limits(), "H2K003", 1),
    ("python tag", "a: !!python/object:os.system x\n", Limits(), "H2K007", 1),
    ("custom tag", "a: !Ref b\n", Limits(), "H2K007", 1),
    ("second document", "a: 1\n---\nb: 2\n", Limits(), "H2K010", 2),
    ("depth over a small limit", "a: [[[[1]]]]\n", Limits(max_depth=3), "H2K006", 1),
    ("depth past libyaml's own limit", "a: " + "[" * 5000 + "]" * 5000 + "\n", Limits(max_depth=10_000),
     "H2K006", 1),
    ("control character", "a: 1\nb: x\x07y\n", Limits(), "H2K003", 2),
    ("deep JSON", '{"a": ' * 2000 + "1" + "}" * 2000, Limits(max_depth=10_000), "H2K006", 1),
    ("a binary number without digits (PyYAML, and Heat, fail on it)", "a: 1\nb: 0b_\n", Limits(), "H2K003", 2),
    ("a hexadecimal number without digits", "a: 0x_\n", Limits(), "H2K003", 1),
]


@pytest.mark.parametrize(("title", "text", "limits", "code", "line"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_a_coded_position(title: str, text: str, limits: Limits, code: str, line: int) -> None:
    found = _codes(text, limits)
    assert found[-1][0] == code
    assert found[-1][1] == line


def test_tab_finding_names_the_tab() -> None:
    sink = DiagnosticSink()
    load_text("resources:\n\tserver: {}\n", "t.yaml", sink)
    assert "tab" in sink.items[0].message


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    sink = DiagnosticSink()
    assert load_text("\n".join(lines) + "\n", "bomb.yaml", sink) is None
    [finding] = sink.items
    assert finding.code.id == "H2K005"


def test_aliases_within_the_limit_are_shared_not_copied() -> None:
    node = load_text("a: &a [1, 2, 3]\nb: *a\n", "t.yaml", DiagnosticSink())
    assert isinstance(node, YMap)
    assert node.get("a") is node.get("b")


def test_invalid_utf8_points_at_the_byte() -> None:
    sink = DiagnosticSink()
    assert decode(b"a: 1\nb: caf\xe9\n", "t.yaml", sink) is None
    [finding] = sink.items
    assert (finding.code.id, finding.span.line, finding.span.column) == ("H2K002", 2, 7)
