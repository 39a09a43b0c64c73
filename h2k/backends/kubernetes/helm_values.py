"""Which parameters become Helm values: found by compiling again with marked values (a probe).

The compiler evaluates parameters at compile time, so the objects hold plain text, and a value in
values.yaml that changes nothing when edited would be a lie. To learn where a parameter's value
ends up, the template is compiled again with each candidate bound to a sentinel: a text no
template contains, carrying the characters values are most often split, escaped or rewritten at
(quotes, backslash, comma, colon, slash, space, newline, upper case, a non-ASCII letter). A
parameter becomes a value only when the probe shows that its value is copied and nothing else:

- the evaluator never hands it to a function that computes with it (a condition, `str_split`,
  `yaql`, `digest`, a `str_replace` template, ...), only to functions that copy it (joins, the
  values of a replacement), in this template and in nested ones alike;
- the probe's objects are the normal ones with the sentinel where the value was: the same objects,
  fields, list lengths and other text, and h2k reports the same findings;
- it is not part of a name, a label, a selector or a key, which must stay valid DNS names;
- with `allowed_values`, compiling with each of them gives the probe's objects with that text,
  which also catches a comparison inside h2k's own translation that the sentinel cannot meet.

So rendering the chart with a value gives what compiling with that value gives. A parameter that
fails is compiled in (H2K420) and the others are probed again without it; a failure that names no
parameter (a count that changed, say) splits the candidates in halves until it does. Only string
parameters are candidates: numbers decide counts and sizes, lists and maps shapes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from h2k.backends.kubernetes.emit import Emitted
from h2k.backends.kubernetes.helm_schema import UNSAFE_TEXT, parameter_schema
from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Parameter, Stack
from h2k.span import Span

Observer = Callable[[str, Expr], None]
# Compiles the template again with some parameters bound to other values, and the evaluator
# watched: the objects and the findings, or None when that compile does not get as far.
Recompile = Callable[[dict[str, str], Observer], tuple[list[Emitted], list[Diagnostic]] | None]

_TAIL = " \"q\\b\", a:b/c.d;e=f|g%h$i@j#k!l?m*n+o{p}q[r]s<t>u&v~w'x é\n\tZ"
# What is left of a sentinel's number once a text is quoted, escaped, lower-cased or made a name.
_TRACE = re.compile(r"h2k[^a-z0-9]?probe[^a-z0-9]?([0-9]{4})", re.IGNORECASE)
# Fields whose text is a name, a label or a key: a value there would have to be a valid DNS name.
_NAMING = frozenset({"name", "namespace", "generateName", "hostname", "subdomain", "key"})
_LABELLING = frozenset({"labels", "matchLabels", "selector", "matchExpressions"})
# Findings the probe's own values cause: a sentinel breaks the parameter's constraints, which the
# chart's schema carries instead.
_CONSTRAINT_CODES = frozenset({"H2K113", "H2K116"})
_UNSAFE = re.compile(UNSAFE_TEXT)
# Parameters with allowed values are compiled once per value (helm_values._Search.each_allowed_value).
_MAX_ALLOWED = 16


@dataclass(frozen=True, slots=True)
class Exposed:
    """A parameter that becomes a value: its compiled value and its schema."""

    parameter: Parameter
    value: str
    schema: dict[str, object]


@dataclass
class Probed:
    """The outcome: the values, and the objects with a sentinel wherever one of them goes."""

    exposed: list[Exposed]
    objects: list[Emitted]
    sentinels: dict[str, Exposed] = field(default_factory=dict)
    compiles: int = 0


def sentinel(index: int) -> str:
    return f"H2k-Probe_{index:04d}{_TAIL}"


def probe(stack: Stack, objects: list[Emitted], diagnostics: list[Diagnostic], recompile: Recompile,
          sink: DiagnosticSink) -> Probed:
    """The parameters that become values; every other parameter gets a finding saying why not."""
    candidates: dict[str, Exposed] = {}
    for parameter in stack.parameters:
        reason = _ineligible(parameter)
        if reason is None:
            found = parameter_schema(parameter, stack.version)
            for note in found.notes:
                sink.report(note.code, note.message, note.span)
            if found.schema is None:
                continue  # the note says why
            value = str(parameter.value.value)  # type: ignore[union-attr]
            if not found.accepts(value):
                reason = f"its value {value!r} would not pass values.schema.json (which refuses more than Heat)"
            else:
                candidates[parameter.name] = Exposed(parameter, value, found.schema)
        if reason is not None:
            _compiled_in(sink, parameter, reason)
    if not candidates:
        return Probed([], objects)
    search = _Search(objects, diagnostics, candidates, recompile)
    names, probed_objects = search.run(list(candidates))
    used = {text for item in probed_objects for text in _sentinels_in(item.object, search.sentinels)}
    for name in names:
        if search.sentinels[name] not in used:
            search.blamed[name] = "it changes nothing in the objects"
        elif "enum" in candidates[name].schema:
            reason = search.each_allowed_value(name, names, probed_objects)
            if reason is not None:
                search.blamed[name] = reason
    for name, reason in search.blamed.items():
        _compiled_in(sink, candidates[name].parameter, reason)
    exposed = [candidates[name] for name in names if name not in search.blamed]
    # A clean probe with a sentinel put back to its compiled value gives the normal objects.
    compiled_back = {search.sentinels[name]: candidates[name].value for name in names if name in search.blamed}
    return Probed(exposed, [_substituted(item, compiled_back) for item in probed_objects] if exposed else objects,
                  {search.sentinels[item.parameter.name]: item for item in exposed}, search.compiles)


def _substituted(item: Emitted, texts: dict[str, str]) -> Emitted:
    def replace(value: object) -> object:
        if isinstance(value, dict):
            return {key: replace(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [replace(inner) for inner in value]
        if isinstance(value, str) and "H2k-Probe_" in value:
            for marker, text in texts.items():
                value = value.replace(marker, text)
        return value

    return Emitted(item.resource, replace(item.object)) if texts else item  # type: ignore[arg-type]


def _compiled_in(sink: DiagnosticSink, parameter: Parameter, reason: str) -> None:
    sink.report("H2K420", f"parameter {parameter.name} stays compiled into the chart: {reason}", parameter.span)


def _ineligible(parameter: Parameter) -> str | None:
    if parameter.hidden:
        return "it is hidden, and its value is never written to a file"
    if parameter.type != "string":
        kind = f"a {parameter.type} parameter" if parameter.type else "not a valid parameter"
        return f"it is {kind}, and only string parameters become values"
    if not (isinstance(parameter.value, Literal) and isinstance(parameter.value.value, str)):
        return "it has no value"
    return None


def _sentinels_in(value: object, known: dict[str, str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _sentinels_in(key, known)
            yield from _sentinels_in(item, known)
    elif isinstance(value, list):
        for item in value:
            yield from _sentinels_in(item, known)
    elif isinstance(value, str) and "H2k-Probe_" in value:
        yield from (text for text in known.values() if text in value)


@dataclass
class _Outcome:
    objects: list[Emitted] | None
    blamed: dict[str, str]
    unexplained: str | None  # a difference no parameter's sentinel shows up in

    @property
    def clean(self) -> bool:
        return self.objects is not None and not self.blamed and self.unexplained is None


class _Search:
    """Probe compiles until a set of candidates probes clean; what fails is blamed with a reason."""

    def __init__(self, objects: list[Emitted], diagnostics: list[Diagnostic], candidates: dict[str, Exposed],
                 recompile: Recompile) -> None:
        self.objects = objects
        self.diagnostics = diagnostics
        self.candidates = candidates
        self.recompile = recompile
        self.sentinels = {name: sentinel(index) for index, name in enumerate(candidates)}
        self.compiles = 0
        self.budget = 2 * len(candidates) + 2
        self.blamed: dict[str, str] = {}

    def run(self, names: list[str]) -> tuple[list[str], list[Emitted]]:
        """The candidates among `names` that probe clean together, and the objects of that probe."""
        pending = list(names)
        while pending:
            outcome = self.attempt(pending)
            if outcome.clean:
                assert outcome.objects is not None
                return pending, outcome.objects
            if outcome.blamed:
                for name, reason in outcome.blamed.items():
                    self.blamed.setdefault(name, reason)
                pending = [name for name in pending if name not in outcome.blamed]
                continue
            reason = outcome.unexplained or "a new value changes the objects"
            if len(pending) == 1:
                self.blamed[pending[0]] = reason
                break
            half = len(pending) // 2
            left, left_objects = self.run(pending[:half])
            right, right_objects = self.run(pending[half:])
            if not right or not left:
                return (left, left_objects) if left else (right, right_objects)
            if left + right == pending:  # each half alone is fine, both together are not
                kept, dropped, objects = (left, right, left_objects) if len(left) >= len(right) else (
                    right, left, right_objects)
                for name in dropped:
                    self.blamed[name] = f"together with other parameters: {reason}"
                return kept, objects
            pending = left + right
        return [], self.objects

    def each_allowed_value(self, name: str, names: list[str], probed: list[Emitted]) -> str | None:
        """Compile with each allowed value: each must give the probe's objects with that text in.

        The probe cannot see a comparison inside h2k's own translation (a protocol, a special
        prefix) that neither the compiled value nor the sentinel meets; a short list of allowed
        values can be tried one by one.
        """
        exposed = self.candidates[name]
        allowed = [value for value in exposed.schema["enum"] if value != exposed.value]  # type: ignore[attr-defined]
        if len(allowed) > _MAX_ALLOWED:
            return f"it has more than {_MAX_ALLOWED} allowed values to try"
        others = {self.sentinels[other]: self.candidates[other].value for other in names if other != name}
        findings = Counter((d.code.id, d.span) for d in self.diagnostics)
        for value in allowed:
            self.compiles += 1
            try:
                result = self.recompile({name: value}, lambda function, args: None)
            except Exception:  # a what-if compile: its failure only means "not this value"
                result = None
            if result is None:
                return f"compiling with its allowed value {value!r} fails"
            expected = [_substituted(item, {**others, self.sentinels[name]: value}).object for item in probed]
            if [item.object for item in result[0]] != expected:
                return f"its allowed value {value!r} changes more than the text it is copied into"
            if Counter((d.code.id, d.span) for d in result[1]) != findings:
                return f"its allowed value {value!r} changes what h2k reports"
        return None

    def attempt(self, names: list[str]) -> _Outcome:
        if self.compiles >= self.budget:
            return _Outcome(None, {name: f"h2k stopped probing after {self.compiles} compiles" for name in names},
                            None)
        by_text = {self.sentinels[name]: name for name in names}
        flagged: dict[str, str] = {}

        def observe(function: str, args: Expr) -> None:
            for name in _computed_with(function, args, by_text):
                flagged.setdefault(name, f"its value is passed to {function}, so another value could change "
                                   "more than the text it is copied into")

        self.compiles += 1
        try:
            result = self.recompile({name: self.sentinels[name] for name in names}, observe)
        except Exception as error:  # a what-if compile: its failure only means "not this value"
            return _Outcome(None, {}, f"compiling with another value fails ({type(error).__name__})")
        if result is None:
            return _Outcome(None, flagged, "compiling with another value fails")
        objects, diagnostics = result
        values = {self.sentinels[name]: self.candidates[name].value for name in names}
        compared = _Comparison(by_text, values)
        compared.objects(self.objects, objects)
        spans = {self.candidates[name].parameter.span for name in names}
        compared.findings(self.diagnostics, [d for d in diagnostics
                                             if not (d.code.id in _CONSTRAINT_CODES and d.span in spans)])
        return _Outcome(objects, {**compared.blamed, **flagged}, compared.unexplained)


# -- where the evaluator sends a value -------------------------------------------------------------


def _computed_with(function: str, args: Expr, by_text: dict[str, str]) -> set[str]:
    """Parameters whose sentinel `function` receives other than in a place it copies verbatim."""
    copied = {id(root) for root in _copied_parts(function, args)}
    found: set[str] = set()

    def walk(expr: Expr, inside: bool) -> None:
        inside = inside or id(expr) in copied
        if isinstance(expr, Literal):
            if isinstance(expr.value, str) and not inside:
                found.update(_names_in(expr.value, by_text))
        elif isinstance(expr, ListExpr):
            for item in expr.items:
                walk(item, inside)
        elif isinstance(expr, MapExpr):
            for key, value in expr.entries:
                walk(key, False)  # a key is never copied as a value
                walk(value, inside)
        else:
            walk(expr.args, inside)

    walk(args, False)
    return found


def _copied_parts(function: str, args: Expr) -> list[Expr]:
    """The parts of a call's evaluated arguments that reach its result unchanged."""
    items = args.items if isinstance(args, ListExpr) else ()
    if function in ("list_join", "Fn::Join"):
        # Strings are joined as they are; lists and maps become JSON text (escaped).
        parts: list[Expr] = list(items[:1])
        for joined in items[1:]:
            if isinstance(joined, ListExpr):
                parts += [item for item in joined.items if isinstance(item, Literal)]
        return parts
    if function == "list_concat":
        return list(items)
    if function == "map_merge":
        return [value for item in items if isinstance(item, MapExpr) for _, value in item.entries]
    if function in ("str_replace", "str_replace_strict", "Fn::Replace"):
        mapping = args.get("params") if isinstance(args, MapExpr) else items[0] if items else None
        if isinstance(mapping, MapExpr):
            return [value for _, value in mapping.entries if isinstance(value, Literal)]
        return []
    if function == "Fn::Base64":  # Heat passes the text through unchanged
        return [args]
    return []


def _names_in(text: str, by_text: dict[str, str]) -> list[str]:
    """The parameters whose sentinel the text holds as it is."""
    if "H2k-Probe_" not in text:
        return []
    return [name for marker, name in by_text.items() if marker in text]


def _traces_in(text: str, by_text: dict[str, str]) -> list[str]:
    """The parameters whose sentinel the text holds in some form (escaped, lower-cased, cut)."""
    numbers = set(_TRACE.findall(text))
    return [name for marker, name in by_text.items() if _TRACE.findall(marker)[0] in numbers]


# -- comparing the probe with the normal compile ---------------------------------------------------


class _Comparison:
    def __init__(self, by_text: dict[str, str], values: dict[str, str]) -> None:
        self.by_text = by_text
        self.values = values
        self.blamed: dict[str, str] = {}
        self.unexplained: str | None = None

    def blame(self, names: list[str], reason: str) -> None:
        for name in names:
            self.blamed.setdefault(name, reason)

    def differs(self, where: str) -> None:
        if self.unexplained is None:
            self.unexplained = f"another value changes {where}"

    def substituted(self, text: str) -> str:
        for marker, value in self.values.items():
            text = text.replace(marker, value)
        return text

    def objects(self, normal: list[Emitted], probed: list[Emitted]) -> None:
        if [(o.kind, o.name) for o in normal] != [(o.kind, o.name) for o in probed]:
            names = [name for o in probed for name in _traces_in(o.name, self.by_text)]
            if names:
                self.blame(names, "it would name an object")
            else:
                self.differs("which objects are written")
            return
        for before, after in zip(normal, probed, strict=True):
            self.walk(before.object, after.object, (), f"{after.kind}/{after.name}")

    def walk(self, before: object, after: object, path: tuple[str | int, ...], owner: str) -> None:
        where = f"{owner} {_path_text(path)}".rstrip()
        if isinstance(after, dict):
            for key in after:
                names = _traces_in(str(key), self.by_text)
                if names:
                    self.blame(names, f"it would be a field name in {where}")
            if not isinstance(before, dict) or list(before) != [self.substituted(str(k)) for k in after]:
                self.differs(where)
                return
            for (key, value), old in zip(after.items(), before.values(), strict=True):
                self.walk(old, value, (*path, key), owner)
        elif isinstance(after, list):
            if not isinstance(before, list) or len(before) != len(after):
                self.differs(where)
                return
            for index, (old, new) in enumerate(zip(before, after, strict=True)):
                self.walk(old, new, (*path, index), owner)
        elif isinstance(after, str) and _names_in(after, self.by_text):
            names = _names_in(after, self.by_text)
            if self.substituted(after) != before:
                self.blame(names, f"its value is changed on its way into {where}")
            elif _naming(path):
                self.blame(names, f"it names or labels something ({where}), which must stay a valid name")
            elif _UNSAFE.search(self.substituted_away(after)):
                self.blame(names, f"the text around it in {where} holds characters a rendered manifest cannot")
        elif type(before) is not type(after) or before != after:
            names = _traces_in(after, self.by_text) if isinstance(after, str) else []
            if names:
                self.blame(names, f"its value is changed on its way into {where}")
            else:
                self.differs(where)

    def substituted_away(self, text: str) -> str:
        for marker in self.by_text:
            text = text.replace(marker, "")
        return text

    def findings(self, normal: list[Diagnostic], probed: list[Diagnostic]) -> None:
        def key(d: Diagnostic) -> tuple[str, int, Span, str]:
            return d.code.id, int(d.severity), d.span, self.substituted(d.message)

        expected = Counter(key(d) for d in normal)
        got = Counter(key(d) for d in probed)
        for d in probed:
            if got[key(d)] > expected[key(d)]:
                names = _traces_in(d.message, self.by_text)
                if names:
                    self.blame(names, f"another value changes what h2k reports ({d.code.id} at {d.span})")
                else:
                    self.differs(f"what h2k reports ({d.code.id} at {d.span})")
        if expected - got:
            missing = next(iter(expected - got))
            self.differs(f"what h2k reports ({missing[0]} at {missing[2]})")


def _naming(path: tuple[str | int, ...]) -> bool:
    keys = [step for step in path if isinstance(step, str)]
    if any(step in _LABELLING for step in keys):
        return True
    last = keys[-1] if keys else ""
    return last in _NAMING or last.endswith("Name")


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text
