"""The syntax tree of a boot script: small, typed, and every node with its span in the template.

The passes that read boot scripts ask simple questions (which commands run, with which words,
which files are written, which variables are exported), so the tree keeps what the shell means
rather than every token: quotes are removed from literal text (but remembered), trivial
pipelines and and-or lists are not wrapped, and a here-document's body hangs on its redirection.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.diagnostics.model import Diagnostic
from h2k.span import Span

# -- words -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    """Text after quote removal; `quoted` when it came from quotes, an escape or a here-document."""

    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Parameter:
    """`$name`, `${name}`, `${#name}`, `${name:-word}`, `${a[i]}`, `${name/pattern/replacement}`."""

    name: str
    span: Span
    braced: bool = False
    prefix: str | None = None  # "#" (length) or "!" (indirection)
    index: str | None = None  # the subscript as written, e.g. "[@]"
    operator: str | None = None  # ":-", "=", "#", "%%", "//", ":", ...
    argument: Word | None = None
    replacement: Word | None = None


@dataclass(frozen=True, slots=True)
class CommandSubstitution:
    """`$(...)`, a backquoted command, or a process substitution `<(...)` / `>(...)`."""

    body: tuple[Statement, ...]
    span: Span
    style: str = "$("  # "$(", "`", "<(" or ">("


@dataclass(frozen=True, slots=True)
class ArithmeticExpansion:
    """`$((...))`; an empty expansion has no expression (and is 0)."""

    expression: Arith | None
    span: Span


@dataclass(frozen=True, slots=True)
class DoubleQuoted:
    parts: tuple[WordPart, ...]
    span: Span


WordPart = Literal | Parameter | CommandSubstitution | ArithmeticExpansion | DoubleQuoted


@dataclass(frozen=True, slots=True)
class Word:
    parts: tuple[WordPart, ...]
    span: Span

    @property
    def literal(self) -> str | None:
        """The word's value when it has no expansion (quotes removed), else None."""
        pieces: list[str] = []
        if not _literal_text(self.parts, pieces):
            return None
        return "".join(pieces)


def _literal_text(parts: tuple[WordPart, ...], pieces: list[str]) -> bool:
    for part in parts:
        if isinstance(part, Literal):
            pieces.append(part.text)
        elif isinstance(part, DoubleQuoted):
            if not _literal_text(part.parts, pieces):
                return False
        else:
            return False
    return True


# -- simple commands ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """`name=value`, `name+=value`, `name[i]=value` or `name=(a b c)`; `export name` has no value."""

    name: str
    span: Span
    value: Word | None = None
    array: tuple[Word, ...] | None = None
    append: bool = False
    index: str | None = None


@dataclass(frozen=True, slots=True)
class HereDoc:
    """A here-document's body: literal text when the delimiter is quoted, else text and expansions."""

    delimiter: str
    body: Word
    quoted: bool
    strip_tabs: bool  # `<<-`: leading tabs are removed from each line (already removed from `body`)


@dataclass(frozen=True, slots=True)
class Redirect:
    """`>`, `>>`, `<`, `>|`, `<>`, `>&`, `<&`, `&>`, `&>>`, `<<<` (target is the word) or `<<`, `<<-`."""

    operator: str
    span: Span
    fd: int | None = None
    target: Word | None = None
    heredoc: HereDoc | None = None


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    """Assignments, words and redirections; a command of assignments only has no words."""

    words: tuple[Word, ...]
    span: Span
    assignments: tuple[Assignment, ...] = ()
    redirects: tuple[Redirect, ...] = ()

    @property
    def name(self) -> str | None:
        """The command's name when it is written literally (`apt-get`, `.`, `source`)."""
        return self.words[0].literal if self.words else None


@dataclass(frozen=True, slots=True)
class Declaration:
    """`export`, `local`, `readonly`, `declare`, `typeset`: their arguments may be assignments."""

    builtin: str
    arguments: tuple[Word | Assignment, ...]
    span: Span
    assignments: tuple[Assignment, ...] = ()
    redirects: tuple[Redirect, ...] = ()


# -- compound commands -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """`{ ...; }`"""

    body: tuple[Statement, ...]
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class Subshell:
    """`( ... )`"""

    body: tuple[Statement, ...]
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class If:
    """`if c; then b; elif c; then b; else b; fi`: one (condition, body) branch per if/elif."""

    branches: tuple[tuple[tuple[Statement, ...], tuple[Statement, ...]], ...]
    span: Span
    otherwise: tuple[Statement, ...] | None = None
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class For:
    """`for name in words; do ...; done`; without `in`, `words` is None (the positional parameters)."""

    name: str
    words: tuple[Word, ...] | None
    body: tuple[Statement, ...]
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class ArithFor:
    """`for ((init; condition; step)); do ...; done`"""

    init: Arith | None
    condition: Arith | None
    step: Arith | None
    body: tuple[Statement, ...]
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class While:
    """`while` (or `until`, when `until` is set) condition; do body; done"""

    condition: tuple[Statement, ...]
    body: tuple[Statement, ...]
    span: Span
    until: bool = False
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseItem:
    patterns: tuple[Word, ...]
    body: tuple[Statement, ...]
    span: Span
    terminator: str | None = None  # ";;", ";&", ";;&"; None for a last item without one


@dataclass(frozen=True, slots=True)
class Case:
    word: Word
    items: tuple[CaseItem, ...]
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class Conditional:
    """`[[ expression ]]`"""

    expression: Cond
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class ArithCommand:
    """`(( expression ))`"""

    expression: Arith
    span: Span
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """`name() compound` or `function name compound`."""

    name: str
    body: Command
    span: Span


Command = (SimpleCommand | Declaration | Group | Subshell | If | For | ArithFor | While | Case | Conditional
           | ArithCommand | FunctionDef)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Commands joined by `|` (or `|&`), or one command negated by `!`."""

    commands: tuple[Command, ...]
    span: Span
    negated: bool = False


@dataclass(frozen=True, slots=True)
class AndOr:
    """`first && second || third`: `rest` holds each operator with the command it runs."""

    first: Command | Pipeline
    rest: tuple[tuple[str, Command | Pipeline], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Statement:
    """One entry of a list, with whether it runs in the background (`&`)."""

    command: Command | Pipeline | AndOr
    span: Span
    background: bool = False


@dataclass(frozen=True, slots=True)
class Script:
    """A script that was read; `findings` are warnings about it (a here-document left open)."""

    body: tuple[Statement, ...]
    span: Span
    findings: tuple[Diagnostic, ...] = ()


# -- [[ ]] expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CondTest:
    """A test: `word` (non-empty), `-op word` (unary) or `word op word` (binary)."""

    operands: tuple[Word, ...]
    span: Span
    operator: str | None = None


@dataclass(frozen=True, slots=True)
class CondNot:
    operand: Cond
    span: Span


@dataclass(frozen=True, slots=True)
class CondLogical:
    operator: str  # "&&" or "||"
    left: Cond
    right: Cond
    span: Span


Cond = CondTest | CondNot | CondLogical


# -- arithmetic --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArithNumber:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class ArithVariable:
    name: str  # with its subscript as written, e.g. "a[i+1]"
    span: Span


@dataclass(frozen=True, slots=True)
class ArithWord:
    """An expansion inside arithmetic (`$x`, `${#a[@]}`, `$(cmd)`)."""

    part: WordPart
    span: Span


@dataclass(frozen=True, slots=True)
class ArithUnary:
    operator: str
    operand: Arith
    span: Span
    postfix: bool = False


@dataclass(frozen=True, slots=True)
class ArithBinary:
    operator: str
    left: Arith
    right: Arith
    span: Span


@dataclass(frozen=True, slots=True)
class ArithConditional:
    condition: Arith
    then: Arith
    otherwise: Arith
    span: Span


@dataclass(frozen=True, slots=True)
class ArithAssign:
    operator: str  # "=", "+=", ...
    target: str
    value: Arith
    span: Span


Arith = ArithNumber | ArithVariable | ArithWord | ArithUnary | ArithBinary | ArithConditional | ArithAssign
