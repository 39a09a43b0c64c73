"""Source positions.

Every finding and every IR node points back at the text the user wrote, so positions are
captured once, when YAML is loaded, and carried unchanged through the pipeline.
"""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A region of a source file: 1-based line and column, end exclusive (as SARIF).

    A named tuple rather than a dataclass: the loader makes one per YAML node, and a tuple is
    the cheapest immutable record Python has.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int = 1, column: int = 1) -> Span:
        return cls(file, line, column, line, column)

    def through(self, end: Span) -> Span:
        """From the start of this span to the end of `end` (e.g. a key through its value)."""
        return Span(self.file, self.line, self.column, end.end_line, end.end_column)

    def contains(self, other: Span) -> bool:
        return (other.file == self.file and (self.line, self.column) <= (other.line, other.column)
                and (other.line, other.column) < (self.end_line, self.end_column))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
