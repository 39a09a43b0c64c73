"""Progress on stderr while stacks compile: a bar on a terminal, one line per stack otherwise.

The bar redraws one line in place (carriage return, erase line), at most every 50 ms, so that a
thousand quick stacks do not flood a slow terminal; plain lines suit logs and CI. Nothing here
touches stdout, which carries the summary.
"""

from __future__ import annotations

import shutil
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO, bar: bool) -> None:
        self.total, self.stream, self.bar = total, stream, bar
        self.done = 0
        self.failed = 0
        self._drawn = 0.0

    def advance(self, name: str, status: str) -> None:
        self.done += 1
        self.failed += status != "ok"
        if not self.bar:
            self.stream.write(f"h2k: [{self.done}/{self.total}] {name}: {status}\n")
            self.stream.flush()
            return
        now = time.monotonic()
        if now - self._drawn >= 0.05 or self.done == self.total:
            self._drawn = now
            self._draw(name)

    def _draw(self, name: str) -> None:
        columns = shutil.get_terminal_size((80, 20)).columns
        counts = f" {self.done}/{self.total}" + (f", {self.failed} not ok" if self.failed else "") + " "
        width = max(10, min(40, columns - len(counts) - 20))
        filled = width * self.done // max(self.total, 1)
        line = f"[{'#' * filled}{'.' * (width - filled)}]{counts}{name}"
        self.stream.write("\r\x1b[2K" + line[: columns - 1])
        self.stream.flush()

    def close(self) -> None:
        if self.bar and self.done:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
