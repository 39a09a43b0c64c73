"""Text as every renderer may show it: one line, no characters XML or a terminal chokes on.

Resource names come from the user's YAML, where a double-quoted key may hold any character; the
renderers escape for their own syntax, after this.

>>> clean("web\\nserver\\x07")
'web server\\ufffd'
>>> shorten("a_really_long_resource_name", 10)
'a_really_…'
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[\t\n\r\u2028\u2029]+")


def clean(text: str) -> str:
    return _UNSAFE.sub("\ufffd", _SPACE.sub(" ", text))


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
