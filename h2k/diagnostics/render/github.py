"""GitHub Actions workflow commands: each finding becomes an annotation on the file and line.

```
::error file=stacks/app.yaml,line=3,col=16,title=H2K103::invalid keyword 'propertes' inside resource a
```
GitHub reads a command from a line of the step's output, so a message must stay on one line and a
property must not contain the `,` and `::` that delimit them: both are percent-escaped as the Actions
toolkit does (`%`, CR and LF in the message; also `:` and `,` in properties). Notes become `notice`.
"""

from __future__ import annotations

import os
from pathlib import Path

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic
from h2k.diagnostics.render.paths import relative_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message of a command.

    >>> escape_data("100% sure\\nreally")
    '100%25 sure%0Areally'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title).

    >>> escape_property("a,b: c")
    'a%2Cb%3A c'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: list[Diagnostic], base: Path | None = None) -> str:
    base = Path(os.path.abspath(base or Path.cwd()))
    return "".join(_command(d, base) for d in diagnostics)


def _command(d: Diagnostic, base: Path) -> str:
    span = d.span
    file = relative_path(span.file, base) or os.path.abspath(span.file)
    properties = {"file": file, "line": str(span.line), "col": str(span.column), "title": d.code.id}
    shown = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[d.severity]} {shown}::{escape_data(d.message)}\n"
