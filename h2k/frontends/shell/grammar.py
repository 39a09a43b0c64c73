"""The shell parser: `grammars/shell.lark` (package `h2k.grammars`), built once per process.

Building the LALR tables from the grammar takes about half a second, far more than parsing every
boot script of a template, so the tables are also shipped, generated from the grammar, in
`shell.tables.json`, and loaded when they were made from the grammar as it is now (by digest).
When they were not (the grammar was edited and the tables not regenerated), the parser is built
from the grammar: slower, never wrong. Regenerate them with
`python -m h2k.frontends.shell.grammar`; a test fails while they are stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections import deque
from importlib import resources
from pathlib import Path
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from h2k.frontends.shell.lexer import ShellLexer

GRAMMAR = "shell.lark"
TABLES = "shell.tables.json"
START = ("start", "heredoc_body")


def grammar_text() -> str:
    return resources.files("h2k.grammars").joinpath(GRAMMAR).read_text(encoding="utf-8")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(text: str) -> Lark:
    """The parser, from the grammar's text (the slow way)."""
    # Positions come from the tokens (see build.py): lark's propagate_positions costs 2.5x the parse.
    return Lark(text, parser="lalr", lexer=ShellLexer, start=list(START), maybe_placeholders=False)


@functools.cache
def shell_parser() -> Lark:
    """The parser, from the shipped tables when they match the grammar, else from the grammar."""
    text = grammar_text()
    tables = _read_tables()
    if tables is not None and tables.get("grammar_sha256") == digest(text):
        try:
            return _from_tables(tables)
        except Exception:  # tables written by a lark whose format differs: build instead
            pass
    return build(text)


def tables_json(text: str) -> str:
    """The tables of the grammar `text`, as the JSON document shipped beside it (the same bytes
    for the same grammar and lark: the states are numbered in a canonical order)."""
    data, memo = build(text).memo_serialize([TerminalDef, Rule])
    # The lexer is a class, given again on load; JSON holds only data.
    data["options"]["lexer"] = None
    data["parser"]["lexer_conf"]["lexer_type"] = None
    _renumber(data["parser"]["parser"])
    document = {"grammar_sha256": digest(text), "lark": lark.__version__, "data": data, "memo": memo}
    return json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n"


def _renumber(table: dict[str, Any]) -> None:
    """Number tokens by name and states breadth-first from the start states.

    lark numbers LALR states in the order its sets of items happen to be iterated, which differs
    from run to run; renumbering makes the generated file reproducible (and its diffs readable).
    """
    tokens: dict[int, str] = table["tokens"]
    names = sorted(set(tokens.values()))
    token_number = {old: names.index(name) for old, name in tokens.items()}
    states: dict[int, dict[int, list[Any]]] = table["states"]
    numbers: dict[int, int] = {}
    queue = deque([*(table["start_states"][k] for k in sorted(table["start_states"])),
                   *(table["end_states"][k] for k in sorted(table["end_states"]))])
    while queue:
        state = queue.popleft()
        if state in numbers:
            continue
        numbers[state] = len(numbers)
        queue.extend(arg for token, (action, arg) in sorted(states[state].items(), key=lambda a: tokens[a[0]])
                     if action == 0)  # 0: shift (or goto) to state `arg`; 1: reduce by rule `arg`
    table["tokens"] = dict(enumerate(names))
    table["states"] = {
        numbers[state]: {token_number[token]: [action, numbers[arg] if action == 0 else arg]
                         for token, (action, arg) in sorted(actions.items(), key=lambda a: tokens[a[0]])}
        for state, actions in sorted(states.items(), key=lambda s: numbers[s[0]])}
    table["start_states"] = {name: numbers[state] for name, state in table["start_states"].items()}
    table["end_states"] = {name: numbers[state] for name, state in table["end_states"].items()}


def _read_tables() -> dict[str, Any] | None:
    try:
        text = resources.files("h2k.grammars").joinpath(TABLES).read_text(encoding="utf-8")
        tables: dict[str, Any] = json.loads(text, object_pairs_hook=_int_keys)
        return tables
    except (OSError, ValueError):
        return None


def _int_keys(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    """JSON object keys are strings; lark's tables key states and memo entries by number."""
    return {int(key) if key.isdigit() else key: value for key, value in pairs}


def _from_tables(tables: dict[str, Any]) -> Lark:
    data = tables["data"]
    data["options"]["lexer"] = ShellLexer
    data["parser"]["lexer_conf"]["lexer_type"] = ShellLexer
    return Lark._load_from_dict(data, tables["memo"])


def main() -> None:
    """Write the tables beside the grammar (run from a source checkout)."""
    folder = Path(str(resources.files("h2k.grammars")))
    text = (folder / GRAMMAR).read_text(encoding="utf-8")
    (folder / TABLES).write_text(tables_json(text), encoding="utf-8")
    print(f"wrote {folder / TABLES}", file=sys.stderr)


if __name__ == "__main__":
    main()
