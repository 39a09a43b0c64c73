"""A boot script's statements, sorted: what goes into the image, what runs at start, what cannot move.

Each top-level statement of the script becomes one `Step` (ir/recipe.py). A statement's text is
cut from the script as written (from its first character to the next statement's), so what the
image runs is what the machine ran, here-documents and quoting included. The sorting rules, in
order:

- a statement that uses a `str_replace` placeholder, or a variable set from one, depends on the
  stack's parameters: a file it writes is runtime configuration (CONFIG), any other command runs
  when the container starts (RUNTIME), so that changing a parameter never rebuilds the image;
- wait-condition signals (SIGNAL), volume preparation (VOLUME), service starts (PROCESS), commands
  that need the machine (VM_ONLY) and commands a container does not need (DROPPED), from the
  tables of commands.py;
- package installs, downloads and static file changes are image steps (IMAGE); a file written
  with fixed text (a here-document, `echo`/`printf` into a file) is a file of the image (FILE);
- anything else is copied into the image as written and flagged (UNKNOWN).

Compound commands (`if`, `for`, `case`, a group) are sorted as a whole by what they contain.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import Any

from h2k.diagnostics.model import Diagnostic
from h2k.frontends.shell import ast
from h2k.frontends.shell.origin import Origin
from h2k.ir import recipe as kinds
from h2k.ir.recipe import Step
from h2k.passes.immutability import commands as table

_SEVERITY = {kinds.VM_ONLY: 5, kinds.UNKNOWN: 4, kinds.RUNTIME: 3, kinds.SIGNAL: 2, kinds.IMAGE: 1, kinds.DROPPED: 0}
_LOCAL_URL = re.compile(r"^(?:https?://)?(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d+))?(/\S*)?$")
_DEVICE = re.compile(r"/dev/(?:[svx]d[a-z]+\d*|nvme\d+n\d+(?:p\d+)?|disk/\S+|mapper/\S+)$")


@dataclasses.dataclass
class ShellResult:
    steps: list[Step]
    family: str | None
    findings: list[Diagnostic]
    unreadable: str = ""


def analyse_shell(text: str, origin: Origin, placeholders: dict[str, str | None],
                  inputs: frozenset[str] = frozenset()) -> ShellResult:
    """Sort the statements of one script; `origin` maps its positions into the template.

    `inputs` are variables the script is given (a software config's inputs): what reads them depends
    on the deployment, like what uses a placeholder.
    """
    from h2k.frontends.shell import parse_script

    local = Origin(origin.file)  # positions within the script, mapped to the template per step
    parsed = parse_script(text, local)
    if not isinstance(parsed, ast.Script):
        findings = [dataclasses.replace(d, span=origin.span(d.span.line, d.span.column, d.span.end_line,
                                                            d.span.end_column)) for d in parsed]
        return ShellResult([], None, findings, unreadable=f"the script cannot be read ({parsed[0].message})")
    reader = _Reader(text, origin, placeholders)
    reader.tainted.update(inputs)
    reader.statements(parsed.body)
    findings = [dataclasses.replace(d, span=origin.span(d.span.line, d.span.column, d.span.end_line,
                                                        d.span.end_column)) for d in parsed.findings]
    return ShellResult(reader.steps, reader.family, findings)


class _Reader:
    def __init__(self, text: str, origin: Origin, placeholders: dict[str, str | None]) -> None:
        self.text = text
        self.origin = origin
        self.placeholders = placeholders
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.steps: list[Step] = []
        self.family: str | None = None
        self.tainted: set[str] = set()  # shell variables whose value depends on a placeholder
        self.functions: dict[str, tuple[str, str]] = {}  # function name -> (kind, note) of its body
        self.walked: dict[int, tuple[object, list[object]]] = {}

    def walk(self, command: object) -> list[object]:
        """Every node of a statement's command, walked once (the rules ask several questions of it)."""
        key = id(command)
        if self.walked.get(key, (None,))[0] is not command:
            self.walked[key] = (command, list(_nodes(command)))
        return self.walked[key][1]

    # -- positions and text -----------------------------------------------------------------------

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def cut(self, statement: ast.Statement, following: ast.Statement | None) -> str:
        """The statement as written, through its here-documents, without trailing comments."""
        start = self.offset(statement.span.line, statement.span.column)
        end = self.offset(following.span.line, following.span.column) if following else len(self.text)
        lines = self.text[start:end].rstrip().split("\n")
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()
        cut = "\n".join(lines).rstrip()
        if "\n" not in cut:
            cut = _strip_comment(cut)
        return cut.rstrip(";").rstrip() if not statement.background else cut

    def step(self, kind: str, statement: ast.Statement, text: str, note: str, **fields: Any) -> None:
        span = statement.span
        self.steps.append(Step(kind=kind, span=self.origin.span(span.line, span.column, span.end_line,
                                                                span.end_column),
                               text=text, note=note, **fields))

    # -- statements -------------------------------------------------------------------------------

    def statements(self, body: tuple[ast.Statement, ...]) -> None:
        reads: list[set[str]] = []
        assigns: list[set[str]] = []
        for index, statement in enumerate(body):
            following = body[index + 1] if index + 1 < len(body) else None
            text = self.cut(statement, following)
            used = self.placeholders_in(text)
            variables = set(_variables(self.walk(statement.command)))
            self.statement(statement, text, used, variables)
            reads.append(variables)
            assigns.append(set(_assigned(statement.command)))
        self.carry_variables(reads, assigns)

    def carry_variables(self, reads: list[set[str]], assigns: list[set[str]]) -> None:
        """Variables that start-up steps or the process read are set at start-up too.

        A variable a RUN sets is gone when the RUN ends; `Body=$(hostname)` read by the loop that
        serves it must run where the loop runs. Walking back from the last step, an assignment of a
        variable something at start-up reads moves to start-up, with what it reads in turn.
        """
        needed: set[str] = set()
        built: set[str] = set()  # read by a later image step
        for index in range(len(self.steps) - 1, -1, -1):
            step = self.steps[index]
            if step.kind in (kinds.RUNTIME, kinds.PROCESS, kinds.CONFIG):
                needed |= reads[index]
                continue
            names = assigns[index] & needed
            if step.kind == kinds.IMAGE and names:
                shown = ", ".join(sorted(names))
                if step.name is None and not assigns[index] & built and step.note == "sets shell variables":
                    self.steps[index] = dataclasses.replace(step, kind=kinds.RUNTIME,
                                                            note=f"sets {shown}, read when the container starts")
                else:
                    note = f"{step.note}; runs at start too ({shown} is read then)"
                    self.steps[index] = dataclasses.replace(step, at_start=True, note=note)
                needed |= reads[index]
            if self.steps[index].kind == kinds.IMAGE:
                built |= reads[index]

    def substituted(self, text: str) -> str | None:
        """`text` with the placeholders' compile-time values, as str_replace gives it; None if one is unknown."""
        from h2k.frontends.hot.functions.strings import replace_placeholders

        used = self.placeholders_in(text)
        if any(self.placeholders[key] is None for key in used):
            return None
        return replace_placeholders(text, {key: self.placeholders[key] or "" for key in used})

    def placeholders_in(self, text: str) -> tuple[str, ...]:
        found = [key for key in self.placeholders if key and key in text]
        return tuple(sorted(found, key=text.index))

    def statement(self, statement: ast.Statement, text: str, used: tuple[str, ...], variables: set[str]) -> None:
        """Record the one step a top-level statement becomes."""
        command = statement.command
        depends = bool(used) or bool(variables & self.tainted)
        if isinstance(command, ast.FunctionDef):
            kind, note = self.judge(command.body, depends)
            self.functions[command.name] = (kind, note)
            self.step(kind, statement, text, f"defines {command.name}(): {note}", placeholders=used)
            return
        simple = _only_command(command)
        if isinstance(simple, ast.SimpleCommand) and not simple.words and simple.assignments:
            self.assignments(statement, simple.assignments, text, used, depends)
            return
        if isinstance(simple, ast.Declaration) and simple.builtin == "export":
            self.export(statement, simple, text, used, depends)
            return
        if isinstance(simple, ast.SimpleCommand) and self.simple(statement, simple, text, used, depends):
            return
        if _endless_loop(command) and not statement.background:
            self.step(kinds.PROCESS, statement, text, "loops forever in the foreground: the container's process",
                      placeholders=used)
            return
        probe = _local_probe(self.walk(command), self.substituted)
        if probe is not None:
            self.step(kinds.SIGNAL, statement, text, f"waits for {probe}: the container's readiness probe stands "
                      "for it", value=probe, placeholders=used)
            return
        kind, note = self.judge(command, depends)
        if kind == kinds.PROCESS:  # a compound that starts a service: its start is the process
            kind = kinds.UNKNOWN
            note = "starts a service inside a compound command"
        self.step(kind, statement, text, note, placeholders=used)

    def assignments(self, statement: ast.Statement, assignments: tuple[ast.Assignment, ...], text: str,
                    used: tuple[str, ...], depends: bool) -> None:
        names = [a.name for a in assignments]
        if depends:
            self.tainted.update(names)
            self.step(kinds.RUNTIME, statement, text, "sets a variable from the stack's parameters",
                      placeholders=used)
            return
        only = assignments[0] if len(assignments) == 1 else None
        value = only.value.literal if only is not None and only.value is not None and only.array is None else None
        if only is not None and (value is not None or only.value is None) and only.index is None:
            self.step(kinds.IMAGE, statement, text, "a variable of the build", name=only.name, value=value or "")
            return
        self.step(kinds.IMAGE, statement, text, "sets shell variables")

    def export(self, statement: ast.Statement, declaration: ast.Declaration, text: str, used: tuple[str, ...],
               depends: bool) -> None:
        assigned = [a for a in declaration.arguments if isinstance(a, ast.Assignment)]
        if depends:
            self.tainted.update(a.name for a in assigned)
            self.step(kinds.RUNTIME, statement, text, "exports a variable set from the stack's parameters",
                      placeholders=used)
            return
        if len(assigned) == 1 and len(declaration.arguments) == 1 and assigned[0].value is not None:
            value = assigned[0].value.literal
            if value is not None:
                self.step(kinds.ENV, statement, text, "an environment variable of the container",
                          name=assigned[0].name, value=value)
                return
        self.step(kinds.IMAGE, statement, text, "exports variables to the build")

    # -- simple commands --------------------------------------------------------------------------

    def simple(self, statement: ast.Statement, command: ast.SimpleCommand, text: str, used: tuple[str, ...],
               depends: bool) -> bool:
        """Record a step for a simple command; False to leave it to the generic judgement."""
        name = command.name
        words = [w.literal for w in command.words]
        if name is None:
            placeholder = next((key for key in self.placeholders if command.words and text.startswith(key)), None)
            if placeholder is not None and self.placeholders[placeholder] is None:
                self.step(kinds.SIGNAL, statement, text, "signals a wait condition: the pod's readiness stands for "
                          "it", placeholders=used)
                return True
            return False
        if (name in self.placeholders and self.placeholders[name] is None) or _signals(name, text):
            self.step(kinds.SIGNAL, statement, text, "signals a wait condition: the pod's readiness stands for it",
                      placeholders=used)
            return True
        if name in ("mount", "mkfs") or name.startswith("mkfs.") or name == "mke2fs" or _fstab(command):
            self.volume(statement, command, text)
            return True
        written = _written_file(command)
        if written is not None:
            self.file(statement, command, written, text, used, depends)
            return True
        if depends:
            self.step(kinds.RUNTIME, statement, text, f"uses {_named(used)}: runs when the container starts",
                      placeholders=used)
            return True
        process = _service_start(name, words) if not statement.background else None
        if process is not None:
            self.service(statement, text, process)
            return True
        if statement.background and name not in table.DROPPED_COMMANDS:
            literal = [w for w in words if w is not None]
            if len(literal) == len(words):
                self.step(kinds.PROCESS, statement, text, "runs in the background: the container's process",
                          command=tuple(w for w in literal if w != "nohup") or tuple(literal), name=name)
                return True
        install = _install(name, words)
        if install is not None:
            manager, packages, family = install
            if family is not None and self.family is None:
                self.family = family
            plural = "s" if len(packages) != 1 else ""
            self.step(kinds.IMAGE, statement, text, f"installs {len(packages)} package{plural} with {manager}",
                      manager=manager, packages=packages)
            return True
        if name in self.functions:
            kind, note = self.functions[name]
            self.step(kind, statement, text, f"calls {name}(): {note}")
            return True
        if name == "cd" and len(words) == 2 and words[1] is not None and not statement.background:
            self.step(kinds.IMAGE, statement, text, "changes directory for the following steps", path=words[1])
            return True
        return False

    def file(self, statement: ast.Statement, command: ast.SimpleCommand, written: _Written, text: str,
             used: tuple[str, ...], depends: bool) -> None:
        if written.append or written.content is None:
            kind = kinds.RUNTIME if depends else kinds.IMAGE
            note = ("appends to" if written.append else "writes") + f" {written.path}"
            if depends:
                note += ", with the stack's parameters: runs when the container starts"
            self.step(kind, statement, text, note, placeholders=used, path=written.path)
            return
        if depends and not used:  # a variable set from a parameter inside the text: not a fixed file
            self.step(kinds.RUNTIME, statement, text, f"writes {written.path} from the stack's parameters",
                      placeholders=used, path=written.path)
            return
        kind = kinds.CONFIG if used else kinds.FILE
        note = (f"writes {written.path} with the stack's parameters: runtime configuration" if used
                else f"writes {written.path}: a file of the image")
        self.step(kind, statement, text, note, path=written.path, content=written.content, placeholders=used)

    def volume(self, statement: ast.Statement, command: ast.SimpleCommand, text: str) -> None:
        words = [w.literal for w in command.words]
        operands = [w for w in words[1:] if w is not None and not w.startswith("-")]
        if words[0] == "mount" and len(operands) >= 2 and _DEVICE.match(operands[-2]):
            self.step(kinds.VOLUME, statement, text, f"mounts {operands[-2]} at {operands[-1]}: the volume's claim "
                      "is mounted there", path=operands[-1], name=operands[-2])
            return
        if _fstab(command):
            self.step(kinds.VOLUME, statement, text, "records a mount in /etc/fstab: the claim is mounted instead")
            return
        if words[0] == "mount":
            self.step(kinds.VM_ONLY, statement, text, table.VM_ONLY_COMMANDS["mount"])
            return
        self.step(kinds.VOLUME, statement, text, "formats a volume: a claim arrives with a file system")

    def service(self, statement: ast.Statement, text: str, unit: str) -> None:
        if unit in table.MACHINE_SERVICES:
            self.step(kinds.DROPPED, statement, text, f"{unit} manages the machine, not the application")
            return
        command = table.DAEMONS.get(unit)
        if command is None:
            self.step(kinds.PROCESS, statement, text, f"starts service {unit}; its foreground command is not in "
                      "h2k's table", name=unit)
            return
        self.step(kinds.PROCESS, statement, text, f"starts service {unit}: the container runs "
                  f"`{' '.join(command)}`", name=unit, command=command)

    # -- judging a command as a whole -------------------------------------------------------------

    def judge(self, command: ast.Command | ast.Pipeline | ast.AndOr, depends: bool) -> tuple[str, str]:
        """The kind of a statement from every simple command it contains: the most limiting wins."""
        if depends:
            return kinds.RUNTIME, "uses the stack's parameters: runs when the container starts"
        worst, note = "", ""
        for simple in _simple_commands(self.walk(command)):
            kind, why = self.judge_simple(simple)
            if not worst or _SEVERITY.get(kind, 1) > _SEVERITY.get(worst, 1):
                worst, note = kind, why
        if not worst:
            return kinds.DROPPED, "does nothing a container needs"
        if worst == kinds.DROPPED and not isinstance(command, ast.SimpleCommand):
            return kinds.IMAGE, "a compound command of image steps"
        return worst, note

    def judge_simple(self, command: ast.SimpleCommand | ast.Declaration) -> tuple[str, str]:
        if isinstance(command, ast.Declaration):
            return kinds.IMAGE, f"{command.builtin} of variables"
        name = command.name
        words = [w.literal for w in command.words]
        if name is None:
            return (kinds.IMAGE, "sets variables") if not command.words else (kinds.UNKNOWN, "runs a computed command")
        if name in table.VM_ONLY_COMMANDS and name != "mount":
            return kinds.VM_ONLY, table.VM_ONLY_COMMANDS[name]
        if _writes_kernel(command):
            return kinds.VM_ONLY, "writes kernel settings under /proc or /sys"
        if _service_start(name, words) is not None or name in ("systemctl", "service"):
            return kinds.DROPPED, "services are not enabled at boot in a container; its process is the service"
        if name in table.DROPPED_COMMANDS:
            return kinds.DROPPED, table.DROPPED_COMMANDS[name]
        if _install(name, words) is not None or name in table.PACKAGE_MANAGERS or name in table.IMAGE_COMMANDS:
            return kinds.IMAGE, f"{name}: a step of the image"
        if name in self.functions:
            return self.functions[name]
        if name.startswith(("/", "./")) and name.endswith(".sh"):
            return kinds.UNKNOWN, f"runs script {name}, which h2k does not read"
        return kinds.UNKNOWN, f"runs {name}, which h2k does not know"


# -- helpers on the syntax tree --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Written:
    path: str
    content: str | None  # None when the text is not fixed (expansions, a command's output)
    append: bool


def _named(placeholders: tuple[str, ...]) -> str:
    return ", ".join(placeholders) if placeholders else "a variable set from the stack's parameters"


def _only_command(command: ast.Command | ast.Pipeline | ast.AndOr) -> ast.Command | None:
    return command if not isinstance(command, ast.Pipeline | ast.AndOr) else None


# Field names of each syntax node class but `span`, looked up once (dataclasses.fields is slow in a loop).
_FIELDS: dict[type, tuple[str, ...]] = {}


def _nodes(node: object) -> Iterator[object]:
    """Every syntax node below `node` (the tree is frozen dataclasses, tuples and words)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
            continue
        kind = type(item)
        names = _FIELDS.get(kind)
        if names is None:
            if not dataclasses.is_dataclass(item):
                continue
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(item) if f.name != "span")
        yield item
        for name in names:
            value = getattr(item, name)
            if value is not None and not isinstance(value, str | int | bool):
                stack.append(value)


def _variables(nodes: list[object]) -> Iterator[str]:
    for item in nodes:
        if isinstance(item, ast.Parameter):
            yield item.name
        elif isinstance(item, ast.ArithVariable):
            yield item.name.split("[", 1)[0]


def _simple_commands(nodes: list[object]) -> Iterator[ast.SimpleCommand | ast.Declaration]:
    for item in nodes:
        if isinstance(item, ast.SimpleCommand | ast.Declaration):
            yield item


def _strip_comment(line: str) -> str:
    """A one-line statement without a trailing ` # comment` (a `#` inside quotes is kept)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and index > 0 and line[index - 1] in " \t":
            return line[:index].rstrip()
    return line


def _endless_loop(command: object) -> bool:
    """`while true; do ...; done` (or `while :`, `until false`): a script that serves until it is stopped."""
    if not isinstance(command, ast.While) or len(command.condition) != 1:
        return False
    test = command.condition[0].command
    name = test.name if isinstance(test, ast.SimpleCommand) and len(test.words) == 1 else None
    return name in (("false",) if command.until else ("true", ":"))


def _assigned(command: object) -> Iterator[str]:
    """The variables a statement sets (`a=1`, `export a=1`, `read a`, `for a in`)."""
    if isinstance(command, ast.SimpleCommand | ast.Declaration):
        for assignment in command.assignments:
            yield assignment.name
        if isinstance(command, ast.Declaration):
            for argument in command.arguments:
                if isinstance(argument, ast.Assignment):
                    yield argument.name


def _local_probe(nodes: list[object], substituted: Callable[[str], str | None]) -> str | None:
    """The local URL a statement polls with curl or wget (`until curl -sf localhost:8080/health`),
    with the placeholders' values in it."""
    for simple in _simple_commands(nodes):
        if isinstance(simple, ast.SimpleCommand) and simple.name in ("curl", "wget"):
            for word in simple.words[1:]:
                literal = word.literal
                url = substituted(literal) if literal is not None else None
                if url is not None and _LOCAL_URL.match(url):
                    return url
    return None


def local_url(url: str) -> tuple[int, str] | None:
    """(port, path) of a local URL, for an HTTP readiness probe."""
    match = _LOCAL_URL.match(url)
    if match is None:
        return None
    return int(match.group(1) or (443 if url.startswith("https") else 80)), match.group(2) or "/"


def _signals(name: str, text: str) -> bool:
    if name in table.SIGNAL_COMMANDS:
        return True
    return name == "curl" and any(marker in text for marker in table.SIGNAL_MARKERS)


def _service_start(name: str, words: list[str | None]) -> str | None:
    """The unit a command starts (`systemctl start httpd`, `service httpd start`, `/etc/init.d/x start`)."""
    args = [w for w in words[1:] if w is not None and not w.startswith("-")]
    if name == "systemctl" and len(args) >= 2 and args[0] in table.SERVICE_STARTS:
        return _unit(args[1])
    if name == "systemctl" and len(args) >= 2 and args[0] == "enable" and "--now" in words:
        return _unit(args[1])
    if name == "service" and len(args) >= 2 and args[1] in table.SERVICE_STARTS:
        return _unit(args[0])
    if name.startswith("/etc/init.d/") and args and args[0] in table.SERVICE_STARTS:
        return _unit(name.rsplit("/", 1)[1])
    return None


def _unit(word: str) -> str:
    return word.removesuffix(".service")


def _install(name: str, words: list[str | None]) -> tuple[str, tuple[str, ...], str | None] | None:
    """(manager, packages, family) for a package install command, else None."""
    known = table.PACKAGE_MANAGERS.get(name)
    if known is None:
        if name in table.RPM_INSTALLERS and any(w in ("-i", "-U", "-ivh", "-Uvh", "--install") for w in words):
            return name, tuple(w for w in words[1:] if w is not None and not w.startswith("-")), None
        return None
    subcommands, family = known
    args = words[1:]
    index = 0
    while index < len(args) and args[index] is not None and args[index].startswith("-"):  # type: ignore[union-attr]
        index += 2 if args[index] in table.VALUED_FLAGS else 1
    if name == "easy_install":
        operands = args
    elif index < len(args) and args[index] in subcommands:
        operands = args[index + 1:]
    else:
        return None
    packages: list[str] = []
    skip = False
    for word in operands:
        if skip:
            skip = False
            continue
        if word is None:
            packages.append("…")
        elif word.startswith("-"):
            skip = word in table.VALUED_FLAGS
        else:
            packages.append(word)
    return name, tuple(packages), family


def _redirect_target(redirect: ast.Redirect) -> str | None:
    return redirect.target.literal if redirect.target is not None else None


def _written_file(command: ast.SimpleCommand) -> _Written | None:
    """The file a command writes with fixed or computed text: `cat > f <<EOF`, `echo x > f`, `tee f`."""
    name = command.name
    outputs = [r for r in command.redirects if r.operator in (">", ">>", ">|") and r.fd in (None, 1)]
    heredoc = next((r.heredoc for r in command.redirects if r.heredoc is not None), None)
    words = command.words
    if name == "tee" and not outputs:
        paths = [w.literal for w in words[1:] if not (w.literal or "").startswith("-")]
        if len(paths) != 1 or paths[0] is None:
            return None
        append = any((w.literal or "") in ("-a", "--append") for w in words[1:])
        content = _heredoc_text(heredoc)
        return _Written(paths[0], content, append)
    if len(outputs) != 1:
        return None
    path = _redirect_target(outputs[0])
    if path is None or path.startswith("/dev/") or path.startswith(("/proc/", "/sys/")):
        return None
    append = outputs[0].operator == ">>"
    if name == "cat" and len(words) == 1:
        return _Written(path, _heredoc_text(heredoc), append)
    if name == "echo":
        return _Written(path, _echo_text(words[1:]), append)
    if name == "printf" and len(words) == 2:
        text = words[1].literal
        fixed = text if text is not None and "%" not in text and "\\" not in text else None
        return _Written(path, fixed, append)
    return _Written(path, None, append)


def _heredoc_text(heredoc: ast.HereDoc | None) -> str | None:
    if heredoc is None:
        return None
    return heredoc.body.literal


def _echo_text(words: tuple[ast.Word, ...]) -> str | None:
    values = [w.literal for w in words]
    if any(v is None for v in values):
        return None
    texts = [v for v in values if v is not None]
    newline = True
    while texts and texts[0] in ("-n", "-e", "-E", "-ne", "-en"):
        flag = texts.pop(0)
        if "n" in flag:
            newline = False
        if "e" in flag.lstrip("-") and any("\\" in t for t in texts):
            return None
    return " ".join(texts) + ("\n" if newline else "")


def _fstab(command: ast.SimpleCommand) -> bool:
    return any(_redirect_target(r) == "/etc/fstab" for r in command.redirects if r.operator in (">", ">>"))


def _writes_kernel(command: ast.SimpleCommand) -> bool:
    return any((_redirect_target(r) or "").startswith(("/proc/", "/sys/")) for r in command.redirects
               if r.operator in (">", ">>"))
