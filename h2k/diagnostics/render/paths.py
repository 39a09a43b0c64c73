"""File names as CI services want them: relative to the working directory, with forward slashes.

Code scanning and workflow annotations resolve a finding's file against the repository root, which
is where CI runs h2k; an absolute path from the runner's disk would match nothing there.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def relative_path(file: str, base: Path) -> str | None:
    """`file` relative to `base` as a POSIX path, or None when it lies outside `base`.

    >>> relative_path("/repo/stacks/app.yaml", Path("/repo"))
    'stacks/app.yaml'
    >>> relative_path("/elsewhere/app.yaml", Path("/repo")) is None
    True
    """
    base = Path(os.path.abspath(base))
    absolute = Path(os.path.abspath(os.path.join(base, file)))
    try:
        return PurePath(os.path.relpath(absolute, base)).as_posix() if absolute.is_relative_to(base) else None
    except ValueError:  # another drive (Windows)
        return None
