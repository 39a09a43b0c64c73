"""tosca-parser's imported files, each parsed once per template.

tosca-parser reads every import at least twice (once for the relationship types, once for all the
types, and a nested import again for each file that imports it), and parsing the ETSI NFV types
takes several milliseconds each time. While a template is parsed, its import loader (the
`YAML_LOADER` alias of `toscaparser.imports`) is one that parses a local file once and then hands
out copies: tosca-parser edits what it loads, and a pickled copy is the same data as a new parse.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable
from typing import Any


class ParsedOnce:
    """A memo around tosca-parser's `load_yaml(path, a_file)`, for the length of one template."""

    def __init__(self, load: Callable[..., Any]) -> None:
        self.load = load
        self.parsed: dict[str, bytes] = {}

    def __call__(self, path: str, a_file: bool = True) -> Any:
        if not a_file:
            return self.load(path, a_file)  # a URL, which the offline lock refuses
        kept = self.parsed.get(path)
        if kept is not None:
            return pickle.loads(kept)
        value = self.load(path, a_file)
        # What pickle cannot copy is parsed again next time.
        with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError, RecursionError):
            self.parsed[path] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return value
