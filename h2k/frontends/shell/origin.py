"""Where a script's text sits in the file the user wrote.

A boot script is usually the value of a YAML block scalar (`user_data: |`), so its line 1 is the
line after the `|` and every line is shifted right by the block's indentation. Findings about the
script must point there, not at an offset into the extracted string; an `Origin` is that mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from h2k.source.nodes import YScalar
from h2k.span import Span


@dataclass(frozen=True, slots=True)
class Origin:
    """Maps 1-based (line, column) of a script onto its file.

    Line 1 of the script starts at (`line`, `column`) of the file; every later line starts after
    `indent` columns. When the text is not a character-for-character copy of the file (a folded
    or escaped YAML scalar), `exact` is False and every position collapses to the scalar's start.
    """

    file: str
    line: int = 1
    column: int = 1
    indent: int = 0
    exact: bool = True

    def span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        if not self.exact:
            return Span.point(self.file, self.line, self.column)
        start_line, start_column = self.position(line, column)
        stop_line, stop_column = self.position(end_line, end_column)
        return Span(self.file, start_line, start_column, stop_line, stop_column)

    def position(self, line: int, column: int) -> tuple[int, int]:
        if line == 1:
            return self.line, self.column + column - 1
        return self.line + line - 1, self.indent + column

    @classmethod
    def of_file(cls, path: str) -> Origin:
        """A script that is a whole file (a `get_file` target, a stand-alone script)."""
        return cls(path)

    @classmethod
    def of_scalar(cls, scalar: YScalar, source_text: str) -> Origin:
        """The origin of a YAML scalar's string value, from the text of the file it was loaded from."""
        span = scalar.span
        value = scalar.value
        collapsed = cls(span.file, span.line, span.column, exact=False)
        lines = _lines(source_text)
        if not isinstance(value, str) or span.line > len(lines):
            return collapsed
        header = lines[span.line - 1][span.column - 1:]
        if header.startswith("|"):
            return _literal_block(span, value, lines) or collapsed
        if "\n" in value or header.startswith(">"):
            return collapsed  # folded or multi-line flow scalars do not keep the text's layout
        quote = header[:1] if scalar.quoted else ""
        if header[len(quote):len(quote) + len(value)] == value:
            return cls(span.file, span.line, span.column + len(quote))
        return collapsed


def _literal_block(span: Span, value: str, lines: list[str]) -> Origin | None:
    """A `|` block: line 1 is the line after the header, indented by what the first text line shows."""
    first = span.line + 1  # 1-based file line of the script's line 1
    for offset, text in enumerate(value.split("\n")):
        if not text:
            continue
        index = first - 1 + offset
        if index >= len(lines):
            return None
        source = lines[index].rstrip("\r")
        indent = len(source) - len(text)
        if indent < 0 or not source.endswith(text) or source[:indent].strip(" "):
            return None
        return Origin(span.file, first, indent + 1, indent)
    return Origin(span.file, first, 1, 0)


@lru_cache(maxsize=8)
def _lines(text: str) -> list[str]:
    """A file's lines, split once (every script of a template asks; the last few files are kept)."""
    return text.split("\n")
