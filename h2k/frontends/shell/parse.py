"""Parse a boot script: the syntax tree, or coded findings at the script's line in the template."""

from __future__ import annotations

import gc

from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.frontends.shell.ast import Script
from h2k.frontends.shell.origin import Origin

# What a parse error's unexpected token is called in a message.
_TOKEN_NAMES = {"_NEWLINE": "newline", "$END": "end of script"}


def parse_script(text: str, origin: Origin) -> Script | list[Diagnostic]:
    """The syntax tree of `text`, whose first character is at `origin`; or why it cannot be read.

    A script that bash refuses too (an unterminated quote) gives H2K602; one that uses shell
    this grammar does not read (or that is wrong in a way only a parser sees) gives H2K601. Both
    point at the line of the script where reading stopped.
    """
    from lark import Tree
    from lark.exceptions import UnexpectedInput, UnexpectedToken

    from h2k.frontends.shell.build import Builder
    from h2k.frontends.shell.grammar import shell_parser
    from h2k.frontends.shell.lexer import LexRequest, ShellSyntaxError

    parser = shell_parser()

    def parse_heredoc(script: str, start: int, end: int, strip_tabs: bool) -> Tree:
        return parser.parse(LexRequest(script, start, end, heredoc=True, strip_tabs=strip_tabs), start="heredoc_body")

    collecting = gc.isenabled()
    gc.disable()  # parsing allocates many small objects and frees none; collections only cost time
    try:
        tree = parser.parse(LexRequest(text), start="start")
        return Builder(text, origin, parse_heredoc).script(tree)
    except ShellSyntaxError as error:
        code = "H2K602" if error.certain else "H2K601"
        return _finding(code, str(error), error.offset, text, origin)
    except UnexpectedToken as error:
        token = error.token
        offset = len(text.rstrip("\n")) if token.type == "$END" else token.start_pos or 0
        what = _TOKEN_NAMES.get(token.type) or repr(str(token))
        return _finding("H2K601", f"unexpected {what}", offset, text, origin)
    except UnexpectedInput as error:  # pragma: no cover - the lexer raises ShellSyntaxError instead
        return _finding("H2K601", str(error), getattr(error, "pos_in_stream", 0) or 0, text, origin)
    except RecursionError:
        return _finding("H2K601", "commands nested too deeply", 0, text, origin)
    finally:
        if collecting:
            gc.enable()


def _finding(code: str, message: str, offset: int, text: str, origin: Origin) -> list[Diagnostic]:
    from h2k.frontends.shell.build import Positions

    line, column = Positions(text, origin).location(min(offset, len(text)))
    where = "" if origin.exact else f" (line {line} of the script)"
    if "\r\n" in text:
        where += "; the script has Windows line endings, and bash reads each carriage return as part of a word"
    prefix = "boot script is not valid shell" if code == "H2K602" else "unsupported construct in a boot script"
    sink = DiagnosticSink()
    sink.report(code, f"{prefix}: {message}{where}", origin.span(line, column, line, column + 1))
    return sink.items
