"""The shell front-end: boot scripts (`user_data`, software configs) into a typed syntax tree.

`parse_script(text, origin)` reads one script; `Origin` says where its text is in the template,
so that every node, and every finding, points at the script's line in the YAML file. The parser
(lark, `grammars/shell.lark`) is imported when the first script is parsed, not before.
"""

from __future__ import annotations

from h2k.frontends.shell.origin import Origin
from h2k.frontends.shell.parse import parse_script

__all__ = ["Origin", "parse_script"]
