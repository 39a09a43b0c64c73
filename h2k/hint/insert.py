"""Insert metadata entries into a template's text, leaving every other byte as it was.

A YAML round trip (even ruamel.yaml's) re-indents sequences, moves comments and respaces flow
mappings, so the template is never re-serialised: the loader's spans locate each resource, and
the new lines or entries are spliced into the text. Flow mappings get `, key: value` after their
last entry, block mappings a line after the line their last entry ends on (or before their first
entry when the last is itself a block), a resource without metadata a `metadata:` right after
`type:`. The result is loaded again and must equal the original with the entries added, else
nothing is written. Newlines are the file's own (`\\r\\n` stays `\\r\\n`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.hot.versions import ALL_FUNCTIONS
from h2k.source.loader import load_text
from h2k.source.nodes import Node, YMap, YScalar, to_python

# YAML line breaks (libyaml's), which is how the loader counts lines.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_PROPERTIES = re.compile(r"(?:[&!][^\s,\[\]{}]*\s+)*")
_DEFAULT_STEP = 2


class Refused(Exception):
    """The entries cannot be inserted safely; the message says why, for the user."""


@dataclass(frozen=True)
class Site:
    """Where a resource's metadata lives: its definition in `resources`, or a group's member definition."""

    name: str
    member: str | None = None  # `resource_def` (ResourceGroup) or `resource` (AutoScalingGroup)


@dataclass(frozen=True)
class Inserted:
    """The edited text, the entries each site got, and why the sites left alone were refused."""

    text: str
    added: dict[Site, dict[str, str]]
    refused: dict[Site, str]


@dataclass(frozen=True)
class _Edit:
    offset: int
    length: int
    text: str


class _Text:
    """The template text with line starts, to turn spans (1-based lines, columns) into offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        first = _BREAK.search(text)
        self.newline = first.group() if first else "\n"

    def offset(self, line: int, column: int) -> int:
        if line > len(self.starts):  # libyaml's end of a stream without a final newline
            return len(self.text)
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def start(self, node: Node) -> int:
        return self.offset(node.span.line, node.span.column)

    def end(self, node: Node) -> int:
        return self.offset(node.span.end_line, node.span.end_column)

    def body(self, node: Node) -> str:
        """The first character of a node after its anchor and tag (`{`, `[`, `|`, a quote...)."""
        at = self.start(node)
        skipped = _PROPERTIES.match(self.text, at)
        at = skipped.end() if skipped else at
        return self.text[at:at + 1]

    def after_line(self, line: int) -> tuple[int, str]:
        """Where a new line goes after line `line`, and the newline to put first when that line has none."""
        if line < len(self.starts):
            return self.starts[line], ""
        return len(self.text), self.newline

    def line_break(self, line: int) -> str:
        """The newline that ends line `line` (the file's first one for its last line)."""
        if line < len(self.starts):
            for back in (2, 1):
                match = _BREAK.match(self.text, max(self.starts[line] - back, 0))
                if match is not None and match.end() == self.starts[line]:
                    return match.group()
        return self.newline


def insert_entries(text: str, root: Node, path: str, wanted: dict[Site, dict[str, str]]) -> Inserted:
    """`text` with each site's entries added to its metadata; keys it already has are left alone.

    `root` is `text` loaded; values are written as double-quoted strings.
    """
    source = _Text(text)
    edits: list[_Edit] = []
    added: dict[Site, dict[str, str]] = {}
    refused: dict[Site, str] = {}
    expected = copy.deepcopy(to_python(root))
    for site, entries in wanted.items():
        try:
            metadata, edit = _plan(source, root, site, entries)
        except Refused as error:
            refused[site] = str(error)
            continue
        if edit is None:
            continue
        edits.append(edit)
        added[site] = {k: v for k, v in entries.items() if metadata is None or k not in metadata}
        _expect(expected, site, added[site])
    if not edits:
        return Inserted(text, {}, refused)
    result = text
    for edit in sorted(edits, key=lambda e: e.offset, reverse=True):
        result = result[:edit.offset] + edit.text + result[edit.offset + edit.length:]
    problem = _verify(text, result, path, expected)
    if problem is not None:
        return Inserted(text, {}, {**refused, **dict.fromkeys(added, problem)})
    return Inserted(result, added, refused)


def _plan(source: _Text, root: Node, site: Site, entries: dict[str, str]) -> tuple[YMap | None, _Edit | None]:
    """The edit adding `entries` to the site's metadata (None when it has them all already)."""
    resources = root.get("resources") if isinstance(root, YMap) else None
    if not isinstance(resources, YMap) or site.name not in resources:
        raise Refused(f"the file defines no resource {site.name} under resources (a member of a ResourceChain, "
                      "or a resource of an inline template, has no definition of its own)")
    owner_key, host = _child(source, resources, site.name, "its definition")
    if site.member is not None:
        _, properties = _child(source, host, "properties", "the group's properties")
        owner_key, host = _child(source, properties, site.member, "the group's member definition")
    metadata_key = host.key_node("metadata")
    metadata = host.get("metadata")
    if metadata is None:
        return None, _new_metadata(source, host, owner_key, entries)
    assert metadata_key is not None
    if isinstance(metadata, YScalar) and metadata.value is None:
        return None, _fill_null(source, host, metadata_key, metadata, owner_key, entries)
    if not isinstance(metadata, YMap):
        raise Refused("its metadata is not a mapping")
    _check_own(source, metadata_key, metadata, "its metadata")
    local = [(k, v) for k, v in metadata.entries if _inside(source, k, metadata)]
    functions = [k.value for k, _ in local if k.value in ALL_FUNCTIONS]
    if len(local) == 1 and functions:
        raise Refused(f"its metadata is computed ({functions[0]})")
    missing = {k: v for k, v in entries.items() if k not in metadata}
    if not missing:
        return metadata, None
    quoted = _quoted_keys(source, local or list(host.entries))
    if source.body(metadata) == "{":
        return metadata, _flow_append(source, metadata, local, missing, quoted)
    if not local:
        raise Refused("its metadata has no entries of its own (it only merges another mapping)")
    return metadata, _block_insert(source, local, missing)


def _child(source: _Text, parent: YMap, key: str, what: str) -> tuple[YScalar, YMap]:
    key_node, value = parent.key_node(key), parent.get(key)
    if key_node is None or not isinstance(value, YMap):
        raise Refused(f"{what} is not a mapping")
    _check_own(source, key_node, value, what)
    return key_node, value


def _check_own(source: _Text, key: YScalar, value: Node, what: str) -> None:
    """Refuse a node that is an alias, or an anchor some alias repeats: an edit would change them all."""
    if source.start(value) < source.end(key):
        raise Refused(f"{what} is an alias of a mapping defined earlier; an entry added there would apply to "
                      "every resource that uses it")
    anchor = _ANCHOR.match(source.text, source.start(value))
    if anchor is not None and re.search(r"\*" + re.escape(anchor.group(1)) + r"(?![^\s,\[\]{}])", source.text):
        raise Refused(f"{what} is anchored (&{anchor.group(1)}) and repeated by an alias; an entry added there "
                      "would apply to every resource that uses it")


def _inside(source: _Text, key: YScalar, mapping: YMap) -> bool:
    """Whether `key` is written in `mapping` itself (keys merged in with `<<` are written elsewhere)."""
    return source.start(mapping) <= source.start(key) < source.end(mapping)


def _quoted_keys(source: _Text, entries: list[tuple[YScalar, Node]]) -> bool:
    """Whether the mapping's keys are double-quoted (a JSON template): new keys follow suit."""
    return bool(entries) and source.text[source.start(entries[0][0])] == '"'


def _entry(key: str, value: str, quoted: bool) -> str:
    shown = json.dumps(key) if quoted else key
    return f"{shown}: {json.dumps(value, ensure_ascii=False)}"


def _flow_append(source: _Text, mapping: YMap, local: list[tuple[YScalar, Node]], entries: dict[str, str],
                 quoted: bool) -> _Edit:
    added = ", ".join(_entry(k, v, quoted) for k, v in entries.items())
    if not local:
        at = source.text.index("{", source.start(mapping)) + 1
        return _Edit(at, 0, added)
    at = max(max(source.end(k), source.end(v)) for k, v in local)
    return _Edit(at, 0, f", {added}")


def _block_insert(source: _Text, local: list[tuple[YScalar, Node]], entries: dict[str, str]) -> _Edit:
    """A line per entry after the last entry, or before the first when the last one ends in a block."""
    last_key, last_value = max(local, key=lambda e: source.start(e[0]))
    indent = " " * (last_key.span.column - 1)
    if not _ends_in_block(source, last_key, last_value):
        alias = source.start(last_value) < source.end(last_key)
        line = last_key.span.line if alias else last_value.span.end_line
        return _after(source, line, [f"{indent}{_entry(k, v, False)}" for k, v in entries.items()])
    first_key = min((k for k, _ in local), key=source.start)
    line_start = source.starts[first_key.span.line - 1]
    if source.text[line_start:source.start(first_key)].strip():
        raise Refused("its metadata's first entry does not start its line")
    newline = source.line_break(first_key.span.line)
    indent = " " * (first_key.span.column - 1)
    return _Edit(line_start, 0, "".join(f"{indent}{_entry(k, v, False)}{newline}" for k, v in entries.items()))


def _after(source: _Text, line: int, lines: list[str]) -> _Edit:
    """New lines after line `line`; at the end of a file without a final newline, the last has none either."""
    newline = source.line_break(line)
    at, lead = source.after_line(line)
    if lead:
        return _Edit(at, 0, "".join(lead + text for text in lines))
    return _Edit(at, 0, "".join(text + newline for text in lines))


def _ends_in_block(source: _Text, key: YScalar, value: Node) -> bool:
    """A block scalar (`|`, `>`) or a block collection: its span runs on to the next entry."""
    if source.start(value) < source.end(key):
        return False  # an alias: `*name` ends on the key's line
    body = source.body(value)
    if isinstance(value, YScalar):
        return body in ("|", ">")
    return body not in ("{", "[")


def _new_metadata(source: _Text, host: YMap, owner_key: YScalar, entries: dict[str, str]) -> _Edit:
    """`metadata:` with the entries, right after the definition's `type:`."""
    type_key, type_value = host.key_node("type"), host.get("type")
    if type_key is None or type_value is None:
        raise Refused("its definition has no type")
    quoted = _quoted_keys(source, list(host.entries))
    if source.body(host) == "{":
        name = json.dumps("metadata") if quoted else "metadata"
        added = ", ".join(_entry(k, v, quoted) for k, v in entries.items())
        return _Edit(source.end(type_value), 0, f", {name}: {{{added}}}")
    indent = type_key.span.column - 1
    step = indent - (owner_key.span.column - 1)
    inner = " " * (indent + (step if step > 0 else _DEFAULT_STEP))
    lines = [f"{' ' * indent}metadata:"] + [f"{inner}{_entry(k, v, False)}" for k, v in entries.items()]
    return _after(source, type_value.span.end_line, lines)


def _fill_null(source: _Text, host: YMap, key: YScalar, value: YScalar, owner_key: YScalar,
               entries: dict[str, str]) -> _Edit:
    """`metadata:` with no value gets the entries below it; `metadata: ~` becomes a flow mapping."""
    quoted = _quoted_keys(source, list(host.entries))
    if source.end(value) > source.start(value):
        added = ", ".join(_entry(k, v, quoted) for k, v in entries.items())
        return _Edit(source.start(value), source.end(value) - source.start(value), f"{{{added}}}")
    if source.body(host) == "{":
        raise Refused("its metadata is empty inside a flow mapping")
    step = (key.span.column - 1) - (owner_key.span.column - 1)
    inner = " " * (key.span.column - 1 + (step if step > 0 else _DEFAULT_STEP))
    return _after(source, key.span.line, [f"{inner}{_entry(k, v, False)}" for k, v in entries.items()])


def _expect(document: object, site: Site, entries: dict[str, str]) -> None:
    """Apply the insertion to the plain data, to compare with what the edited text loads as."""
    assert isinstance(document, dict)
    host = document["resources"][site.name]
    if site.member is not None:
        host = host["properties"][site.member]
    if not isinstance(host.get("metadata"), dict):
        host["metadata"] = {}
    host["metadata"].update(entries)


def _verify(before: str, after: str, path: str, expected: object) -> str | None:
    """Why the edited text is not the original plus the entries, or None when it is."""
    sink = DiagnosticSink()
    root = load_text(after, path, sink)
    if root is None or to_python(root) != expected:
        return "the entries could not be inserted without changing something else; add them by hand"
    if _is_json(before) and not _is_json(after):
        return "the entries would make this JSON template invalid JSON; add them by hand"
    return None


def _is_json(text: str) -> bool:
    if not text.lstrip().startswith("{"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
